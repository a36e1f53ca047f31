using System.Globalization;

namespace Parley.Bench.Signaling;

/// <summary>Runs <see cref="MemoryRun"/> for each server in turn, each round, and prints lines and a table.</summary>
internal static class MemoryBenchmark
{
    public static async Task RunAsync(ServerLauncher launcher, BenchOptions options)
    {
        var results = new List<MemoryResult>();
        for (int round = 0; round < options.Rounds; round++)
        {
            foreach (string server in options.Servers)
            {
                MemoryResult result = await MemoryRun.RunAsync(launcher, server, options.Connections, options.RoomSize, options.IdleSeconds).ConfigureAwait(false);
                results.Add(result);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"round={round} {server}: opened={result.Opened}/{result.Requested} in {result.OpenSeconds:F1}s baseline={Mib(result.BaselineBytes):F1} MiB " +
                    $"loaded={Mib(result.LoadedBytes):F1} MiB per-connection={result.BytesPerConnection / 1024:F2} KiB load={result.LoadAverage} {result.FirstFailure}"));
            }
        }

        Console.WriteLine();
        Console.WriteLine("| server | connections open | RSS before MiB | RSS after MiB | KiB per connection | load 1/5/15 m |");
        Console.WriteLine("|---|---:|---:|---:|---:|---|");
        foreach (MemoryResult r in results)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Server} | {r.Opened} | {Mib(r.BaselineBytes):F1} | {Mib(r.LoadedBytes):F1} | {r.BytesPerConnection / 1024:F2} | {r.LoadAverage} |"));
        }
    }

    private static double Mib(long bytes) => bytes / 1024.0 / 1024.0;
}
