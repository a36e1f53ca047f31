using System.Globalization;

namespace Parley.Bench.Signaling;

/// <summary>Starts each compared server on 127.0.0.1 exactly as bench/README.md documents, and its client protocol.</summary>
/// <param name="repositoryRoot">The directory holding Parley.slnx.</param>
/// <param name="parleyEnvironment">Extra environment variables for the Parley process only (runtime knobs for A/B runs).</param>
internal sealed class ServerLauncher(string repositoryRoot, IReadOnlyDictionary<string, string> parleyEnvironment)
{
    public static readonly string[] Names = ["parley", "peerjs", "ws-relay"];

    /// <summary>
    /// Accepted by --servers but not run by default: Parley connections that never join (memory runs only), and Parley
    /// with every participant over HTTP signaling instead of a WebSocket (the same server, started the same way); and two
    /// Parley nodes sharing rooms through a redis-server (docs/deployment.md, "Several nodes"), participants alternating
    /// between them, so every relayed message crosses from one node to the other.
    /// </summary>
    public static readonly string[] ExtraNames = ["parley-unjoined", "parley-http", "parley-2nodes"];

    /// <summary>Parley's per-connection rate limit is raised for throughput runs so that it does not shape the load.</summary>
    public static readonly string[] ParleyThroughputLimits = ["--Signaling:MessagesPerSecond=1000", "--Signaling:MessageBurst=2000"];

    public static readonly string[] ParleyConnectionLimits = ["--Signaling:MaxConnections=25000"];

    public const int PeerJsConcurrentLimit = 30000;

    public static ISignalingProtocol Protocol(string name) => name switch
    {
        "parley" => new ParleyProtocol(),
        "parley-http" => new ParleyProtocol(overHttp: true),
        "parley-2nodes" => new ParleyProtocol(secondNodeOffset: 1),
        "peerjs" => new PeerJsProtocol(),
        "ws-relay" => new BroadcastRelayProtocol(),
        "parley-unjoined" => new ParleyUnjoinedProtocol(),
        _ => throw new ArgumentException($"Unknown server '{name}'.", nameof(name)),
    };

    public ServerGroup Start(string name, int port, IEnumerable<string> parleyExtras) => name == "parley-2nodes"
        ? StartTwoNodes(port, parleyExtras)
        : ServerGroup.Of(StartOne(name, port, parleyExtras), port);

    /// <summary>redis-server (no persistence) and two Parley nodes on <paramref name="port"/> and the port after it.</summary>
    private ServerGroup StartTwoNodes(int port, IEnumerable<string> parleyExtras)
    {
        int redisPort = PortFinder.FreeTcpPort();
        var redis = ServerProcess.Start("redis", "redis-server",
            ["--port", redisPort.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], Path.GetTempPath());
        string[] shared = [$"--Redis:Configuration=127.0.0.1:{redisPort}", $"--Redis:Prefix=bench{port}", .. parleyExtras];
        return new ServerGroup([(redis, redisPort), (StartOne("parley", port, shared), port), (StartOne("parley", port + 1, shared), port + 1)]);
    }

    private ServerProcess StartOne(string name, int port, IEnumerable<string> parleyExtras)
    {
        string signaling = Path.Combine(repositoryRoot, "bench", "signaling");
        string port1 = port.ToString(CultureInfo.InvariantCulture);
        return name switch
        {
            "parley" or "parley-http" => ServerProcess.Start(name, ParleyExecutable(),
                ["--urls", $"http://127.0.0.1:{port1}", "--Turn:Enabled=false", "--Logging:LogLevel:Default=Warning", .. parleyExtras],
                Path.GetDirectoryName(ParleyExecutable())!, parleyEnvironment),
            "parley-unjoined" => ServerProcess.Start(name, ParleyExecutable(),
                ["--urls", $"http://127.0.0.1:{port1}", "--Turn:Enabled=false", "--Logging:LogLevel:Default=Warning",
                    "--Signaling:JoinTimeoutSeconds=600", .. parleyExtras],
                Path.GetDirectoryName(ParleyExecutable())!, parleyEnvironment),
            "peerjs" => ServerProcess.Start(name, "node",
                [Path.Combine(signaling, "peerjs-server.js"), port1, PeerJsConcurrentLimit.ToString(CultureInfo.InvariantCulture)], signaling),
            "ws-relay" => ServerProcess.Start(name, "node", [Path.Combine(signaling, "broadcast-relay.js"), port1], signaling),
            _ => throw new ArgumentException($"Unknown server '{name}'.", nameof(name)),
        };
    }

    private string ParleyExecutable()
    {
        string path = Path.Combine(repositoryRoot, "src", "Parley.Server", "bin", "Release", "net10.0", "Parley.Server");
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException("Build Parley first: dotnet build src/Parley.Server -c Release", path);
    }
}
