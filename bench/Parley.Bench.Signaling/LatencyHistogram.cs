using System.Diagnostics;

namespace Parley.Bench.Signaling;

/// <summary>Relay latencies in 10 µs buckets up to 10 s (one overflow bucket above), safe to record from many threads.</summary>
internal sealed class LatencyHistogram
{
    private const double BucketMicros = 10;
    private const int Buckets = 1_000_000;
    private readonly long[] counts = new long[Buckets + 1];
    private long total;

    public long Count => Interlocked.Read(ref total);

    public void Record(long stopwatchTicks)
    {
        double micros = Math.Max(0, stopwatchTicks) * 1_000_000.0 / Stopwatch.Frequency;
        int bucket = (int)Math.Min(Buckets, micros / BucketMicros);
        Interlocked.Increment(ref counts[bucket]);
        Interlocked.Increment(ref total);
    }

    /// <summary>The latency in milliseconds below which the given fraction (0..1) of samples fall; NaN when empty.</summary>
    public double PercentileMs(double fraction)
    {
        long n = Count;
        if (n == 0)
        {
            return double.NaN;
        }

        long rank = (long)Math.Ceiling(fraction * n);
        long seen = 0;
        for (int i = 0; i < counts.Length; i++)
        {
            seen += counts[i];
            if (seen >= rank)
            {
                return (i + 1) * BucketMicros / 1000.0;
            }
        }

        return (Buckets + 1) * BucketMicros / 1000.0;
    }
}
