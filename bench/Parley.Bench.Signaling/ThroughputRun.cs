using System.Diagnostics;

namespace Parley.Bench.Signaling;

/// <summary>Settings of a throughput run: participants, room size, warm-up and measured seconds.</summary>
internal sealed record ThroughputSettings(int Participants, int RoomSize, int WarmupSeconds, int Seconds);

/// <summary>
/// One server at one offered rate, open loop: a fresh server, N joined participants, a pacer thread that schedules
/// rate × (warm-up + T) messages at fixed times (each stamped with its scheduled time, so a client or server that
/// falls behind shows as latency, not as a lower rate), then a drain of up to 3 s.
/// </summary>
internal static class ThroughputRun
{
    private const int MaxBacklogPerParticipant = 2000;
    private const long MaxServerResidentBytes = 4L << 30;
    private static readonly MessageKind[] Mix =
        [MessageKind.Offer, MessageKind.Answer, MessageKind.Candidate, MessageKind.Candidate, MessageKind.Candidate, MessageKind.Candidate];

    public static async Task<ThroughputResult> RunAsync(ServerLauncher launcher, string name, int rate, ThroughputSettings settings)
    {
        int port = name == "parley-2nodes" ? PortFinder.FreeTcpPortPair() : PortFinder.FreeTcpPort();
        using ServerGroup server = launcher.Start(name, port, ServerLauncher.ParleyThroughputLimits);
        await server.WaitReadyAsync().ConfigureAwait(false);
        ISignalingProtocol protocol = ServerLauncher.Protocol(name);
        var stats = new TrafficStats();
        using ParticipantPool pool = await ParticipantPool.OpenAsync(protocol, port, 0, settings.Participants, settings.RoomSize, 64, stats)
            .ConfigureAwait(false);
        if (pool.Failed > 0)
        {
            return Empty(name, rate, settings, $"{pool.Failed} participants failed to connect: {pool.FirstFailure}");
        }

        MessageTemplate[][] templates = BuildTemplates(pool);
        await Task.Delay(500).ConfigureAwait(false);

        long frequency = Stopwatch.Frequency;
        long start = Stopwatch.GetTimestamp() + frequency / 10;
        long windowStart = start + settings.WarmupSeconds * frequency;
        long windowEnd = windowStart + settings.Seconds * frequency;
        stats.SetWindow(windowStart, windowEnd);
        var abort = new AbortFlag();
        using var monitor = new CancellationTokenSource();
        Task watching = WatchServerAsync(server, abort, monitor.Token);

        var pacer = new Thread(() => Pace(pool, templates, stats, rate, start, windowEnd, abort)) { IsBackground = true, Name = "pacer" };
        pacer.Start();
        await WaitUntilAsync(windowStart).ConfigureAwait(false);
        double serverCpu0 = server.CpuSeconds();
        var byProcess0 = server.CpuByProcess();
        long switches0 = server.ContextSwitches();
        TimeSpan clientCpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        await Task.Run(pacer.Join).ConfigureAwait(false);
        await DrainAsync(stats).ConfigureAwait(false);
        double serverCpu = server.HasExited ? double.NaN : server.CpuSeconds() - serverCpu0;
        var byProcess = server.CpuByProcess();
        if (byProcess.Count > 1)
        {
            Console.WriteLine("  cpu by process: " + string.Join(", ", byProcess.Select((entry, i) => string.Create(
                System.Globalization.CultureInfo.InvariantCulture, $"{entry.Name}#{i} {entry.Seconds - byProcess0[i].Seconds:F2}s"))));
        }

        long switches = server.HasExited ? 0 : server.ContextSwitches() - switches0;
        double clientCpu = (Process.GetCurrentProcess().TotalProcessorTime - clientCpu0).TotalSeconds;
        await monitor.CancelAsync().ConfigureAwait(false);
        await watching.ConfigureAwait(false);

        return new ThroughputResult(name, rate, settings.Participants, stats.Sent, stats.Delivered, stats.ClientDropped, stats.Overheard,
            stats.ServerErrors, settings.Seconds, stats.Latency.PercentileMs(0.50), stats.Latency.PercentileMs(0.99),
            stats.Latency.PercentileMs(0.999), serverCpu, clientCpu, switches, settings.Participants - pool.OpenCount(), LoadAverage.OneMinute(), abort.Reason);
    }

    private static MessageTemplate[][] BuildTemplates(ParticipantPool pool)
    {
        var templates = new MessageTemplate[pool.Participants.Count][];
        for (int position = 0; position < templates.Length; position++)
        {
            Participant destination = pool.DestinationOf(position)
                ?? throw new InvalidOperationException("Every room needs at least two participants.");
            templates[position] = [.. Enum.GetValues<MessageKind>().Select(kind => pool.Protocol.Template(kind, destination.Address!, destination.Index))];
        }

        return templates;
    }

    private static void Pace(ParticipantPool pool, MessageTemplate[][] templates, TrafficStats stats, int rate, long start, long end,
        AbortFlag abort)
    {
        long frequency = Stopwatch.Frequency;
        long total = (long)((end - start) / (double)frequency * rate);
        int count = templates.Length;
        long deadline = end + 5 * frequency;
        for (long seq = 0; seq < total && Stopwatch.GetTimestamp() < deadline && abort.Reason is null;)
        {
            long due = Math.Min(total, (long)((Stopwatch.GetTimestamp() - start) / (double)frequency * rate) + 1);
            for (; seq < due; seq++)
            {
                long scheduled = start + (long)(seq * (double)frequency / rate);
                int position = (int)(seq % count);
                MessageKind kind = Mix[seq / count % Mix.Length];
                byte[] frame = templates[position][(int)kind].Stamp(scheduled);
                stats.OnScheduled(scheduled, pool.Participants[position].Send(frame, MaxBacklogPerParticipant));
            }

            Thread.Sleep(1);
        }
    }

    private static async Task WaitUntilAsync(long timestamp)
    {
        TimeSpan wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), timestamp);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait).ConfigureAwait(false);
        }
    }

    /// <summary>Waits until everything sent in the window arrived, at most 3 s.</summary>
    private static async Task DrainAsync(TrafficStats stats)
    {
        for (int i = 0; i < 60 && stats.Delivered < stats.Sent - stats.ClientDropped; i++)
        {
            await Task.Delay(50).ConfigureAwait(false);
        }
    }

    /// <summary>Stops the run if the server dies or grows past 4 GiB (a relay buffering without bound).</summary>
    private static async Task WatchServerAsync(ServerGroup server, AbortFlag abort, CancellationToken cancellation)
    {
        try
        {
            while (!cancellation.IsCancellationRequested)
            {
                if (server.HasExited)
                {
                    abort.Set("server exited");
                }
                else if (server.ResidentBytes() > MaxServerResidentBytes)
                {
                    abort.Set("server RSS over 4 GiB");
                }

                await Task.Delay(500, cancellation).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static ThroughputResult Empty(string name, int rate, ThroughputSettings settings, string reason) =>
        new(name, rate, settings.Participants, 0, 0, 0, 0, 0, settings.Seconds, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, 0, 0,
            LoadAverage.OneMinute(), reason);

    private sealed class AbortFlag
    {
        private string? reason;

        public string? Reason => Volatile.Read(ref reason);

        public void Set(string why) => Interlocked.CompareExchange(ref reason, why, null);
    }
}
