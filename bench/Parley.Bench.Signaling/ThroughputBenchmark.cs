using System.Globalization;

namespace Parley.Bench.Signaling;

/// <summary>
/// Steps the offered rate up for each server, alternating servers at each step. A step is sustained with at most 0.1 %
/// loss and p99 under 100 ms; a server stays in for the higher steps until it stops delivering (loss over 1 % or an
/// aborted run), so that on a busy shared machine, where latency alone often fails, the p99 at equal offered load and the
/// highest achieved rate are still measured for every server. Repeats for each round and prints per-run lines and a table.
/// </summary>
internal static class ThroughputBenchmark
{
    public static async Task RunAsync(ServerLauncher launcher, BenchOptions options)
    {
        var settings = new ThroughputSettings(options.Participants, options.RoomSize, options.Warmup, options.Seconds);
        var results = new List<ThroughputResult>();
        var sustainedPerRound = new List<Dictionary<string, ThroughputResult>>();
        for (int round = 0; round < options.Rounds; round++)
        {
            var stillDelivering = new HashSet<string>(options.Servers);
            var best = new Dictionary<string, ThroughputResult>();
            sustainedPerRound.Add(best);
            foreach (int rate in options.Rates)
            {
                foreach (string server in options.Servers.Where(stillDelivering.Contains))
                {
                    ThroughputResult result = await ThroughputRun.RunAsync(launcher, server, rate, settings).ConfigureAwait(false);
                    results.Add(result);
                    Console.WriteLine(Line(round, result));
                    if (result.Sustained)
                    {
                        best[server] = result;
                    }
                    else if (result.LossPercent > 1 || result.Aborted is not null)
                    {
                        stillDelivering.Remove(server);
                    }
                }

                if (stillDelivering.Count == 0)
                {
                    break;
                }
            }
        }

        Console.WriteLine();
        Console.WriteLine("| offered msg/s | server | runs | achieved msg/s | loss % | p50 ms | p99 ms | p99.9 ms | server CPU µs/msg | server ctx switches/msg | client CPU s | load 1m |");
        Console.WriteLine("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (IGrouping<(int OfferedRate, string Server), ThroughputResult> group in results
            .GroupBy(r => (r.OfferedRate, r.Server)).OrderBy(g => g.Key.OfferedRate).ThenBy(g => Array.IndexOf(options.Servers, g.Key.Server)))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {group.Key.OfferedRate} | {group.Key.Server} | {group.Count()} | {Median(group, r => r.AchievedRate):F0} | {Median(group, r => r.LossPercent):F3} | {Median(group, r => r.P50Ms):F2} | {Median(group, r => r.P99Ms):F2} | {Median(group, r => r.P999Ms):F2} | {Median(group, r => r.ServerCpuMicrosPerMessage):F0} | {Median(group, r => r.ContextSwitchesPerMessage):F2} | {Median(group, r => r.ClientCpuSeconds):F2} | {Median(group, r => r.LoadAverage):F2} |"));
        }

        Console.WriteLine();
        foreach (string server in options.Servers)
        {
            string perRound = string.Join(", ", sustainedPerRound.Select(round => round.TryGetValue(server, out ThroughputResult? r)
                ? string.Create(CultureInfo.InvariantCulture, $"{r.OfferedRate} offered / {r.AchievedRate:F0} achieved")
                : "none"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"max sustained {server} per round (msg/s): {perRound}"));
        }
    }

    private static string Line(int round, ThroughputResult r) => string.Create(CultureInfo.InvariantCulture,
        $"round={round} rate={r.OfferedRate} {r.Server}: sent={r.Sent} delivered={r.Delivered} achieved={r.AchievedRate:F0}/s loss={r.LossPercent:F3}% " +
        $"client-dropped={r.ClientDropped} overheard={r.Overheard} server-errors={r.ServerErrors} disconnected={r.Disconnected} p50={r.P50Ms:F2} p99={r.P99Ms:F2} p999={r.P999Ms:F2} ms " +
        $"server-cpu={r.ServerCpuSeconds:F2}s ({r.ServerCpuMicrosPerMessage:F0} µs/msg) ctx-switches/msg={r.ContextSwitchesPerMessage:F2} client-cpu={r.ClientCpuSeconds:F2}s load={r.LoadAverage:F2} {(r.Sustained ? "ok" : "NOT SUSTAINED")} {r.Aborted}");

    private static double Median(IEnumerable<ThroughputResult> results, Func<ThroughputResult, double> value)
    {
        double[] sorted = [.. results.Select(value).Order()];
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
