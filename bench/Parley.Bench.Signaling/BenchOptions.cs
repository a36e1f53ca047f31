using System.Globalization;

namespace Parley.Bench.Signaling;

/// <summary>Command-line options, range-checked so that every run is bounded in count and time.</summary>
internal sealed record BenchOptions(string Mode, string[] Servers, int Participants, int RoomSize, int[] Rates, int Seconds, int Warmup,
    int Rounds, int Connections, int IdleSeconds, IReadOnlyDictionary<string, string> ParleyEnvironment, string? Error)
{
    public static BenchOptions Parse(string[] args)
    {
        string Text(string name, string fallback) =>
            Array.IndexOf(args, name) is int i and >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        int Number(string name, int fallback) => int.Parse(Text(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

        string mode = args.Length > 0 ? args[0] : "throughput";
        string[] servers = Text("--servers", string.Join(',', ServerLauncher.Names)).Split(',');
        int[] rates = [.. Text("--rate", "100,250,500,1000,2000,4000,8000,12000,16000,24000,32000").Split(',')
            .Select(x => int.Parse(x, CultureInfo.InvariantCulture)).Order()];
        var options = new BenchOptions(mode, servers, Number("--participants", 128), Number("--room-size", 8), rates,
            Number("--seconds", 5), Number("--warmup", 2), Number("--rounds", mode == "memory" ? 1 : 2), Number("--connections", 19000), Number("--idle", 5),
            Text("--parley-env", "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(pair => pair.Split('=', 2))
                .ToDictionary(pair => pair[0], pair => pair.Length > 1 ? pair[1] : ""), null);
        string? error = options switch
        {
            { Mode: not ("throughput" or "memory") } => "The first argument is throughput or memory.",
            _ when servers.Any(s => !ServerLauncher.Names.Contains(s) && !ServerLauncher.ExtraNames.Contains(s)) => $"Servers are {string.Join(", ", ServerLauncher.Names)}.",
            { Mode: "throughput" } when servers.Contains("parley-unjoined") => "parley-unjoined is for memory runs only.",
            { Mode: "memory" } when servers.Contains("parley-2nodes") => "parley-2nodes is for throughput runs only.",
            { Participants: < 2 or > 2000 } => "--participants 2-2000.",
            { RoomSize: < 2 or > 16 } => "--room-size 2-16 (Parley's default room limit is 16).",
            _ when rates.Any(r => r is < 1 or > 200_000) => "--rate values 1-200000 messages/s.",
            { Seconds: < 1 or > 60 } or { Warmup: < 0 or > 30 } => "--seconds 1-60, --warmup 0-30.",
            { Rounds: < 1 or > 5 } => "--rounds 1-5.",
            { Connections: < 1 or > 30_000 } => "--connections 1-30000.",
            { IdleSeconds: < 1 or > 600 } => "--idle 1-600 seconds.",
            _ => null,
        };
        return options with { Error = error };
    }

    public string Describe() => DescribeLoad() + (ParleyEnvironment.Count == 0 ? "" :
        " parley-env=" + string.Join(',', ParleyEnvironment.Select(pair => $"{pair.Key}={pair.Value}")));

    private string DescribeLoad() => Mode == "memory"
        ? $"mode=memory servers={string.Join(',', Servers)} connections={Connections} room-size={RoomSize} idle={IdleSeconds}s rounds={Rounds}"
        : $"mode=throughput servers={string.Join(',', Servers)} participants={Participants} room-size={RoomSize} rates={string.Join(',', Rates)} " +
          $"seconds={Seconds} warmup={Warmup} rounds={Rounds}";
}
