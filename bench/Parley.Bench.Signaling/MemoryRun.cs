using System.Diagnostics;

namespace Parley.Bench.Signaling;

/// <summary>What one server's resident memory did with N idle, joined participants.</summary>
internal sealed record MemoryResult(string Server, int Requested, int Opened, int Failed, string? FirstFailure, long BaselineBytes,
    long LoadedBytes, double OpenSeconds, string LoadAverage)
{
    public double BytesPerConnection => Opened == 0 ? double.NaN : (LoadedBytes - BaselineBytes) / (double)Opened;
}

/// <summary>
/// Memory per connection: a fresh server, a warm-up (participants open, exchange one of each message, close), the
/// baseline RSS, then N participants in rooms of k opened in bounded parallel batches and left idle for 5 s (answering
/// heartbeats; <c>--idle</c> makes that longer), the loaded RSS. Per connection = (loaded − baseline) / opened.
/// </summary>
internal static class MemoryRun
{
    private const int WarmupParticipants = 256;
    private const int Parallelism = 200;

    public static async Task<MemoryResult> RunAsync(ServerLauncher launcher, string name, int connections, int roomSize, int idleSeconds)
    {
        int port = PortFinder.FreeTcpPort();
        using ServerGroup server = launcher.Start(name, port, ServerLauncher.ParleyConnectionLimits);
        await server.WaitReadyAsync().ConfigureAwait(false);
        ISignalingProtocol protocol = ServerLauncher.Protocol(name);
        await WarmUpAsync(ServerLauncher.Protocol(name == "parley-unjoined" ? "parley" : name), port, roomSize).ConfigureAwait(false);
        await Task.Delay(3000).ConfigureAwait(false);
        long baseline = await SampleResidentAsync(server).ConfigureAwait(false);

        var stats = new TrafficStats();
        using ParticipantPool pool = await ParticipantPool.OpenAsync(protocol, port, WarmupParticipants, connections, roomSize, Parallelism, stats)
            .ConfigureAwait(false);
        // Printed so that a heap dump can be taken while the connections are held (an --idle longer than 5 s for that).
        Console.WriteLine($"holding {pool.OpenCount()} connections for {idleSeconds} s; server pid {server.Id}");
        await Task.Delay(TimeSpan.FromSeconds(idleSeconds)).ConfigureAwait(false);
        long loaded = await SampleResidentAsync(server).ConfigureAwait(false);
        int open = pool.OpenCount();
        return new MemoryResult(name, connections, open, connections - open, pool.FirstFailure, baseline, loaded,
            pool.OpenTime.TotalSeconds, LoadAverage.All());
    }

    private static async Task WarmUpAsync(ISignalingProtocol protocol, int port, int roomSize)
    {
        var stats = new TrafficStats();
        using ParticipantPool pool = await ParticipantPool.OpenAsync(protocol, port, 0, WarmupParticipants, roomSize, 32, stats).ConfigureAwait(false);
        for (int position = 0; position < pool.Participants.Count; position++)
        {
            if (pool.DestinationOf(position) is { } destination)
            {
                foreach (MessageKind kind in Enum.GetValues<MessageKind>())
                {
                    pool.Participants[position].Send(protocol.Template(kind, destination.Address!, destination.Index).Stamp(Stopwatch.GetTimestamp()));
                }
            }
        }

        await Task.Delay(1000).ConfigureAwait(false);

        // A close handshake, not an abort: Parley keeps an aborted participant in its room for the resume grace period.
        await pool.CloseAllAsync().ConfigureAwait(false);
    }

    /// <summary>The median of three VmRSS samples 500 ms apart.</summary>
    private static async Task<long> SampleResidentAsync(ServerGroup server)
    {
        var samples = new long[3];
        for (int i = 0; i < samples.Length; i++)
        {
            samples[i] = server.ResidentBytes();
            await Task.Delay(500).ConfigureAwait(false);
        }

        Array.Sort(samples);
        return samples[1];
    }
}
