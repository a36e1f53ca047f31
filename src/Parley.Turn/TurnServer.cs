using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Parley.Turn.Auth;
using Parley.Turn.Policy;
using Parley.Turn.Relay;
using Parley.Turn.Sockets;

namespace Parley.Turn;

/// <summary>Composes the socket-free core (policy, auth, allocations, handler) for the listeners.</summary>
internal sealed class TurnServer : IDisposable
{
    public TurnServer(IOptions<TurnOptions> options, TurnSecrets secrets, TurnCredentialIssuer issuer, TimeProvider time,
        ILoggerFactory loggers, HostAddresses host, ITurnUserRevocations revocations, TurnMetrics metrics)
    {
        TurnOptions o = options.Value;
        Options = o;
        ILogger logger = loggers.CreateLogger("Parley.Turn");
        if (o.SharedSecrets.Count == 0)
        {
            TurnLog.GeneratedSecret(logger);
        }

        Addresses = new TurnAddresses(options, host);
        if (o.Enabled)
        {
            Addresses.LogRelay(logger);
        }

        Policy = new PeerPolicy(o.AllowedPeerRanges, Addresses.OwnAddresses, [o.Port, o.TlsPort]);
        var auth = new LongTermAuthenticator(issuer, new StatelessNonce(() => secrets.NonceKey, time, o.NonceLifetime), o.Realm,
            o.ExpiredCredentialGrace, revocations);
        var relays = new UdpRelaySocketFactory(Addresses, o, logger);
        Allocations = new AllocationTable();
        Handler = new TurnRequestHandler(o, time, auth, Policy, relays, Allocations, logger, metrics);
        metrics.Observe(Allocations);
        relays.Sink = Handler;
        if (o.Enabled)
        {
            TurnLog.Quotas(logger, Handler.MaxAllocationsPerUser, o.MaxAllocations, o.MaxAllocations / Handler.MaxAllocationsPerUser);
        }

        if (o.Enabled && o.UdpEventLoops && LinuxNative.IsSupported)
        {
            int threads = o.UdpThreads > 0 ? o.UdpThreads : DefaultUdpThreads(Environment.ProcessorCount);
            Loops = new UdpEventLoop[threads];
            for (int i = 0; i < threads; i++)
            {
                // The pacer measures how fast datagrams really arrive, so it reads the real clock even when the
                // protocol's clock (lifetimes, nonces) is a test's.
                Loops[i] = new UdpEventLoop(logger, i, o.UdpBatchMicroseconds, TimeProvider.System, o.IoUring);
            }

            relays.Loops = Loops;
        }

        Time = time;
    }

    /// <summary>
    /// Turn:UdpThreads 0: one event loop per two processors. Most of a relayed packet's cost is the kernel's, on
    /// the loop's thread and in waking whoever receives it, so one loop per core leaves no core for those wake-ups
    /// and makes each loop's batches smaller: on 2 cores one loop cost 10-35 % less CPU per relayed packet than
    /// two, and relayed 80,000 packets a second with under half a core (docs/benchmarks.md).
    /// </summary>
    internal static int DefaultUdpThreads(int processors) => Math.Clamp(processors / 2, 1, 64);

    /// <summary>
    /// Read the UDP listener and UDP clients' relay sockets on Linux x86-64 and arm64 (Turn:UdpThreads); empty elsewhere, or
    /// with Turn:UdpEventLoops false.
    /// </summary>
    public UdpEventLoop[] Loops { get; } = [];

    public TurnOptions Options { get; }

    public TurnAddresses Addresses { get; }

    public PeerPolicy Policy { get; }

    public AllocationTable Allocations { get; }

    public TurnRequestHandler Handler { get; }

    public TimeProvider Time { get; }

    public void Dispose()
    {
        Allocations.Clear();
        foreach (UdpEventLoop loop in Loops)
        {
            loop.Dispose();
        }
    }
}
