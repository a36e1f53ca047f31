using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Parley.Stun;

namespace Parley.Bench.Turn;

/// <summary>Benchmark parameters.</summary>
internal sealed record LoadSettings(int Clients, int Peers, int PayloadSize, int Rate, double Seconds, bool Tcp = false);

/// <summary>What one run measured.</summary>
internal sealed record LoadResult(string Server, long Sent, long AtPeers, long Returned, double Seconds, double UserSeconds,
    double SystemSeconds, double RttP50Ms, double RttP99Ms, double RttMeanMs, long RcvbufErrors, double LoadAverage)
{
    public double CpuSeconds => UserSeconds + SystemSeconds;

    public double SystemShare => CpuSeconds == 0 ? 0 : SystemSeconds / CpuSeconds;

    public double RelayedPerSecond => (AtPeers + Returned) / Seconds;

    public double CpuMicrosPerPacket => AtPeers + Returned == 0 ? double.NaN : CpuSeconds * 1e6 / (AtPeers + Returned);

    public double LossPercent => Sent == 0 ? 0 : 100.0 * (Sent - Returned) / Sent;
}

/// <summary>
/// N allocations, each with channels bound to M echoing peer sockets; ChannelData sent at a fixed total rate
/// round-robin over every (allocation, channel) for T seconds; peers echo every datagram back through the relay.
/// Every loop is bounded in count and time; everything is on 127.0.0.1.
/// </summary>
internal static class LoadRun
{
    private const int HistogramBuckets = 100_000; // 10 µs buckets up to 1 s.

    public static async Task<LoadResult> RunAsync(ServerProcess server, int port, string secret, LoadSettings s)
    {
        var peers = new List<Socket>();
        var clients = new List<TurnClient>();
        using var stop = new CancellationTokenSource();
        long atPeers = 0, returned = 0;
        var histogram = new long[HistogramBuckets + 1];
        try
        {
            for (int p = 0; p < s.Peers; p++)
            {
                var peer = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                peer.Bind(new IPEndPoint(IPAddress.Loopback, 0));
                peer.ReceiveBufferSize = 4 << 20;
                peers.Add(peer);
            }

            for (int c = 0; c < s.Clients; c++)
            {
                var client = new TurnClient(port, s.Tcp);
                clients.Add(client);
                client.Allocate(secret, $"bench{c}");
                for (int p = 0; p < s.Peers; p++)
                {
                    client.BindChannel((ushort)(0x4000 + p), new TransportAddress((IPEndPoint)peers[p].LocalEndPoint!));
                }
            }

            var receivers = new List<Task>();
            foreach (Socket peer in peers)
            {
                receivers.Add(Task.Run(() => EchoAsync(peer, () => Interlocked.Increment(ref atPeers), stop.Token)));
            }

            foreach (TurnClient client in clients)
            {
                receivers.Add(Task.Run(() => ReceiveAsync(client, histogram, () => Interlocked.Increment(ref returned), stop.Token)));
            }

            // Warm-up (not measured): 2 s at the same rate, so JIT and first-use costs stay out of the window.
            await PaceAsync(clients, s with { Seconds = 2 }).ConfigureAwait(false);
            await Task.Delay(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
            long peers0 = Interlocked.Read(ref atPeers), returned0 = Interlocked.Read(ref returned);
            Array.Clear(histogram);

            (double user0, double system0) = server.CpuSeconds();
            long drops0 = ServerProcess.UdpReceiveBufferErrors();
            long sent = await PaceAsync(clients, s).ConfigureAwait(false);
            await Task.Delay(TimeSpan.FromSeconds(1)).ConfigureAwait(false); // Drain.
            (double user1, double system1) = server.CpuSeconds();
            long drops = ServerProcess.UdpReceiveBufferErrors() - drops0;
            double load = ServerProcess.LoadAverage();
            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(receivers).ConfigureAwait(false);
            (double p50, double p99, double mean) = Percentiles(histogram);
            return new LoadResult(server.Name, sent, Interlocked.Read(ref atPeers) - peers0, Interlocked.Read(ref returned) - returned0,
                s.Seconds, user1 - user0, system1 - system0, p50, p99, mean, drops, load);
        }
        finally
        {
            foreach (TurnClient client in clients)
            {
                client.Dispose();
            }

            foreach (Socket peer in peers)
            {
                peer.Dispose();
            }
        }
    }

    /// <summary>
    /// <see cref="Send"/> on a thread of its own: it keeps its thread for the whole run, and on a pool thread (what runs
    /// after an await) it starved the receivers' continuations when the benchmark is pinned to one core (the pool then
    /// starts with one thread and adds more about once a second): over TCP ~13 % of the packets came back ~1 s late,
    /// the benchmark's delay, not the server's.
    /// </summary>
    private static Task<long> PaceAsync(List<TurnClient> clients, LoadSettings s) =>
        Task.Factory.StartNew(() => Send(clients, s), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>Paces ChannelData at the target rate for the duration; returns how many were sent.</summary>
    private static long Send(List<TurnClient> clients, LoadSettings s)
    {
        // Over TCP, ChannelData is padded to a multiple of 4 bytes (RFC 8656 §12.5).
        var frame = new byte[ChannelData.HeaderLength + (s.Tcp ? (s.PayloadSize + 3) & ~3 : s.PayloadSize)];
        long total = (long)(s.Rate * s.Seconds);
        int targets = clients.Count * s.Peers;
        long sent = 0;
        var clock = Stopwatch.StartNew();
        while (sent < total && clock.Elapsed.TotalSeconds < s.Seconds + 5)
        {
            long due = Math.Min(total, (long)(clock.Elapsed.TotalSeconds * s.Rate));
            if (sent >= due)
            {
                Thread.Sleep(1);
                continue;
            }

            for (; sent < due; sent++)
            {
                int target = (int)(sent % targets);
                ushort channel = (ushort)(0x4000 + (target % s.Peers));
                Assert(ChannelData.TryWriteHeader(frame, channel, s.PayloadSize, out _));
                BinaryPrimitives.WriteInt64LittleEndian(frame.AsSpan(4), Stopwatch.GetTimestamp());
                BinaryPrimitives.WriteInt64LittleEndian(frame.AsSpan(12), sent);
                try
                {
                    clients[target / s.Peers].Socket.Send(frame);
                }
                catch (SocketException)
                {
                    // Counted as loss (ENOBUFS, ECONNREFUSED from an earlier ICMP).
                }
            }
        }

        return sent;
    }

    private static async Task EchoAsync(Socket peer, Action onPacket, CancellationToken stop)
    {
        var buffer = new byte[2048];
        var from = new SocketAddress(AddressFamily.InterNetwork);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                int length = await peer.ReceiveFromAsync(buffer, SocketFlags.None, from, stop).ConfigureAwait(false);
                onPacket();
                await peer.SendToAsync(buffer.AsMemory(0, length), SocketFlags.None, from, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (SocketException)
            {
            }
        }
    }

    private static async Task ReceiveAsync(TurnClient client, long[] histogram, Action onPacket, CancellationToken stop)
    {
        var buffer = new byte[2048];
        while (!stop.IsCancellationRequested)
        {
            ReadOnlyMemory<byte> message;
            try
            {
                message = client.Frames is { } frames
                    ? await frames.NextAsync(stop).ConfigureAwait(false)
                    : buffer.AsMemory(0, await client.Socket.ReceiveAsync(buffer, SocketFlags.None, stop).ConfigureAwait(false));
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (SocketException)
            {
                if (client.Frames is not null)
                {
                    return; // A TCP connection that failed stays failed; what it did not bring back counts as loss.
                }

                continue;
            }

            if (message.Length < 20 || !ChannelData.IsChannelData(message.Span))
            {
                if (message.IsEmpty && client.Frames is not null)
                {
                    return; // Closed by the server.
                }

                continue;
            }

            long ticks = Stopwatch.GetTimestamp() - BinaryPrimitives.ReadInt64LittleEndian(message.Span[4..]);
            long bucket = Math.Clamp(ticks * 100_000 / Stopwatch.Frequency, 0, HistogramBuckets);
            Interlocked.Increment(ref histogram[bucket]);
            onPacket();
        }
    }

    private static (double P50, double P99, double Mean) Percentiles(long[] histogram)
    {
        long count = histogram.Sum();
        if (count == 0)
        {
            return (double.NaN, double.NaN, double.NaN);
        }

        double p50 = double.NaN, p99 = double.NaN, sum = 0;
        long seen = 0;
        for (int i = 0; i < histogram.Length; i++)
        {
            sum += histogram[i] * (i + 0.5) / 100.0;
            seen += histogram[i];
            if (double.IsNaN(p50) && seen >= count * 0.5)
            {
                p50 = (i + 1) / 100.0;
            }

            if (double.IsNaN(p99) && seen >= count * 0.99)
            {
                p99 = (i + 1) / 100.0;
            }
        }

        return (p50, p99, sum / count);
    }

    private static void Assert(bool condition)
    {
        if (!condition)
        {
            throw new InvalidOperationException("ChannelData header could not be written.");
        }
    }
}
