using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Parley.Bench.Turn;

// Parley.Bench.Turn [--clients N] [--peers M] [--size BYTES] [--rate PPS[,PPS...]] [--seconds T] [--rounds R] [--transport udp|tcp]
//                   [--servers parley,coturn,coturn-tuned] [--pin CPU]
// Alternates the servers (parley, coturn, parley, coturn ...; R rounds of each) per rate. `host ...` is the Parley child
// process. --pin runs Parley (with Turn:UdpThreads=1) and coturn-tuned (--relay-threads=1) under `taskset -c CPU`;
// run the benchmark itself under `taskset -c` on another CPU so that the load generator does not share the server's.
if (args.Length > 0 && args[0] == "host")
{
    return await ParleyHost.RunAsync(args);
}

int Arg(string name, int fallback) =>
    Array.IndexOf(args, name) is int i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;

string rates = Array.IndexOf(args, "--rate") is int r and >= 0 && r + 1 < args.Length ? args[r + 1] : "5000,20000";
int clients = Arg("--clients", 20), peers = Arg("--peers", 4), size = Arg("--size", 172), seconds = Arg("--seconds", 10),
    rounds = Arg("--rounds", 2);
string transport = Array.IndexOf(args, "--transport") is int t and >= 0 && t + 1 < args.Length ? args[t + 1] : "udp";
string[] servers = (Array.IndexOf(args, "--servers") is int v and >= 0 && v + 1 < args.Length ? args[v + 1] : "parley,coturn").Split(',');
int? pin = Array.IndexOf(args, "--pin") is int n and >= 0 && n + 1 < args.Length ? int.Parse(args[n + 1], CultureInfo.InvariantCulture) : null;
if (servers.Any(x => x is not ("parley" or "coturn" or "coturn-tuned")) || pin is < 0 or > 1023)
{
    Console.Error.WriteLine("--servers is a list of parley, coturn, coturn-tuned; --pin is a CPU number.");
    return 2;
}

if (transport is not ("udp" or "tcp"))
{
    Console.Error.WriteLine("--transport is udp or tcp (the clients' connection to the server; peers are UDP).");
    return 2;
}

if (clients is < 1 or > 500 || peers is < 1 or > 32 || size is < 16 or > 1200 || seconds is < 1 or > 120 || rounds is < 1 or > 10)
{
    Console.Error.WriteLine("Out of bounds: clients 1-500, peers 1-32, size 16-1200, seconds 1-120, rounds 1-10.");
    return 2;
}

const string Secret = "bench-secret-0123456789abcdef";
const int RelayMin = 41000, RelayMax = 41999;
var results = new List<(int Rate, LoadResult Result)>();
Console.WriteLine($"clients={clients} peers={peers} channel-data payload={size} B seconds={seconds} rounds={rounds} transport={transport} cores={Environment.ProcessorCount} servers={string.Join(',', servers)} pin={(pin is int p0 ? p0.ToString(CultureInfo.InvariantCulture) : "none")}");
foreach (int rate in rates.Split(',').Select(x => int.Parse(x, CultureInfo.InvariantCulture)).Where(x => x is > 0 and <= 1_000_000))
{
    var settings = new LoadSettings(clients, peers, size, rate, seconds, transport == "tcp");
    for (int round = 0; round < rounds; round++)
    {
        foreach (string name in servers)
        {
            int port = FreePort();
            using ServerProcess server = name == "parley"
                ? ServerProcess.StartParley(port, Secret, RelayMin, RelayMax, pin)
                : ServerProcess.StartCoturn(port, Secret, RelayMin, RelayMax, tuned: name == "coturn-tuned", pin);
            await server.WaitReadyAsync(port);
            await Task.Delay(500); // Let JIT/startup CPU settle before the measured window.
            LoadResult result = await LoadRun.RunAsync(server, port, Secret, settings);
            results.Add((rate, result));
            Console.WriteLine(Row(rate, result));
        }
    }
}

Console.WriteLine();
Console.WriteLine("| target pkt/s | server | relayed pkt/s | server CPU µs/pkt | loss % | RTT p50 ms | RTT p99 ms |");
Console.WriteLine("|---:|---|---:|---:|---:|---:|---:|");
foreach (IGrouping<(int, string), (int Rate, LoadResult Result)> group in results.GroupBy(x => (x.Rate, x.Result.Server)))
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {group.Key.Item1} | {group.Key.Item2} (median of {group.Count()}) | {Median(group.Select(g => g.Result.RelayedPerSecond)):F0} | {Median(group.Select(g => g.Result.CpuMicrosPerPacket)):F2} | {Median(group.Select(g => g.Result.LossPercent)):F3} | {Median(group.Select(g => g.Result.RttP50Ms)):F2} | {Median(group.Select(g => g.Result.RttP99Ms)):F2} |"));
}

return 0;

static string Row(int rate, LoadResult r) => string.Create(CultureInfo.InvariantCulture,
    $"rate={rate} {r.Server}: sent={r.Sent} at-peers={r.AtPeers} returned={r.Returned} relayed/s={r.RelayedPerSecond:F0} cpu={r.CpuSeconds:F2}s (sys {100 * r.SystemShare:F0} %, {r.CpuMicrosPerPacket:F2} µs/pkt) loss={r.LossPercent:F3}% rtt p50={r.RttP50Ms:F2} p99={r.RttP99Ms:F2} mean={r.RttMeanMs:F2} ms rcvbuf-errors={r.RcvbufErrors} load={r.LoadAverage:F2}");

static double Median(IEnumerable<double> values)
{
    double[] sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
}

static int FreePort()
{
    // Picked below the kernel's ephemeral range (32768-60999 by default) and the relay range, which other
    // processes' connections can exhaust; UDP and TCP must be free on the port, and TCP on port + 1 (Parley's
    // TLS listener), so each candidate is checked by binding it.
    for (int attempt = 0; attempt < 200; attempt++)
    {
        int port = Random.Shared.Next(20_000, 30_000);
        if (UdpFree(port) && TcpFree(port) && TcpFree(port + 1))
        {
            return port;
        }
    }

    throw new InvalidOperationException("No free port in 20000-30000.");
}

static bool UdpFree(int port)
{
    using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    try
    {
        udp.Bind(new IPEndPoint(IPAddress.Loopback, port));
        return true;
    }
    catch (SocketException)
    {
        return false;
    }
}

static bool TcpFree(int port)
{
    using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    try
    {
        tcp.Bind(new IPEndPoint(IPAddress.Loopback, port));
        return true;
    }
    catch (SocketException)
    {
        return false;
    }
}
