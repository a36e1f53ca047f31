using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Parley.Stun;
using Parley.Stun.Attributes;
using Parley.Turn.Auth;
using Parley.Turn.Policy;
using Parley.Turn.Relay;

namespace Parley.Turn.Tests;

/// <summary>The socket-free handler with fake relays, a fake client and fake time.</summary>
internal sealed class HandlerHarness
{
    public HandlerHarness(Action<TurnOptions>? configure = null, TurnMetrics? metrics = null)
    {
        Options = new TurnOptions();
        Options.SharedSecrets.Add("harness-secret-0123456789");
        configure?.Invoke(Options);
        Issuer = new TurnCredentialIssuer(new TurnSecrets(Options.SharedSecrets), Microsoft.Extensions.Options.Options.Create(Options), Time);
        var auth = new LongTermAuthenticator(Issuer, new StatelessNonce(new byte[32], Time, Options.NonceLifetime), Options.Realm,
            Options.ExpiredCredentialGrace);
        Policy = new PeerPolicy(Options.AllowedPeerRanges, [IPAddress.Parse("192.0.2.1")], [3478]);
        Handler = new TurnRequestHandler(Options, Time, auth, Policy, Relays, Table, NullLogger.Instance, metrics);
    }

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));

    public TurnOptions Options { get; }

    public TurnCredentialIssuer Issuer { get; }

    public PeerPolicy Policy { get; }

    public FakeRelayFactory Relays { get; } = new();

    public AllocationTable Table { get; } = new();

    public TurnRequestHandler Handler { get; }

    public FakeClient Client { get; } = new();

    public static FiveTuple Tuple(int port = 40000, TurnTransport transport = TurnTransport.Udp) =>
        new(new TransportAddress(IPAddress.Parse("198.51.100.10"), (ushort)port), new TransportAddress(IPAddress.Parse("192.0.2.1"), 3478), transport);

    public byte[] Send(byte[] packet, FiveTuple? tuple = null)
    {
        var response = new byte[TurnRequestHandler.MaxResponseLength];
        int length = Handler.HandleClientPacket(packet, tuple ?? Tuple(), Client, response);
        return response[..length];
    }

    public TestClient NewClient(string user = "alice", FiveTuple? tuple = null) => new(this, Issuer.Issue(user), tuple ?? Tuple());
}

internal sealed class TestClient(HandlerHarness harness, TurnCredential credential, FiveTuple tuple)
{
    public TurnCredential Credential { get; set; } = credential;

    public FiveTuple Tuple { get; } = tuple;

    public string? Nonce { get; set; }

    public string Realm { get; set; } = "parley";

    public StunPasswordAlgorithm? Algorithm { get; set; }

    public bool UseSha256Integrity { get; set; }

    public bool UseUserHash { get; set; }

    public string? PasswordOverride { get; set; }

    /// <summary>Gets a nonce from a 401 challenge.</summary>
    public Response Challenge()
    {
        Response r = Response.Parse(harness.Send(StunMessage.Build(new StunMessageType(StunMethod.Allocate, StunClass.Request),
            TransactionId.NewId(), RequestedTransport.UdpTransport), Tuple));
        Nonce = r.Nonce;
        return r;
    }

    public Response Request(StunMethod method, params IStunSetter[] attributes) => Request(method, TransactionId.NewId(), attributes);

    public Response Request(StunMethod method, TransactionId id, params IStunSetter[] attributes)
    {
        if (Nonce is null)
        {
            Challenge();
        }

        return Response.Parse(harness.Send(Build(method, id, attributes), Tuple));
    }

    public byte[] Build(StunMethod method, TransactionId id, params IStunSetter[] attributes) =>
        LongTermRequest.Build(method, id, Credential.Username, PasswordOverride ?? Credential.Password, Realm, Nonce!, attributes,
            Algorithm, UseSha256Integrity, UseUserHash);

    public Response Allocate(params IStunSetter[] extra) =>
        Request(StunMethod.Allocate, [RequestedTransport.UdpTransport, .. extra]);
}

internal sealed class FakeRelayFactory : IRelaySocketFactory
{
    private int _nextPort = 50000;

    public bool IPv4 { get; set; } = true;

    public bool IPv6 { get; set; }

    public bool Exhausted { get; set; }

    public List<FakeRelay> Created { get; } = [];

    public bool Supports(StunAddressFamily family) => family == StunAddressFamily.IPv4 ? IPv4 : family == StunAddressFamily.IPv6 && IPv6;

    public bool TryCreate(StunAddressFamily family, bool evenPort, out IRelaySocket? relay)
    {
        relay = null;
        if (Exhausted || !Supports(family))
        {
            return false;
        }

        relay = Add(family, _nextPort += 2);
        return true;
    }

    public bool TryCreatePair(StunAddressFamily family, out IRelaySocket? even, out IRelaySocket? next)
    {
        even = next = null;
        if (Exhausted || !Supports(family))
        {
            return false;
        }

        int port = _nextPort += 2;
        even = Add(family, port);
        next = Add(family, port + 1);
        return true;
    }

    private FakeRelay Add(StunAddressFamily family, int port)
    {
        IPAddress address = family == StunAddressFamily.IPv4 ? IPAddress.Parse("192.0.2.1") : IPAddress.Parse("2001:db8::1");
        var fake = new FakeRelay(new TransportAddress(address, (ushort)port));
        Created.Add(fake);
        return fake;
    }
}

internal sealed class FakeRelay(TransportAddress local) : IRelaySocket
{
    public TransportAddress LocalAddress { get; } = local;

    public TransportAddress AdvertisedAddress => LocalAddress;

    public List<(byte[] Data, TransportAddress Peer)> Sent { get; } = [];

    public Allocation? Allocation { get; private set; }

    public bool Disposed { get; private set; }

    public bool Record { get; set; } = true;

    public int Count { get; private set; }

    public void Send(ReadOnlySpan<byte> data, in TransportAddress peer)
    {
        Count++;
        if (Record)
        {
            Sent.Add((data.ToArray(), peer));
        }
    }

    public void Start(Allocation allocation) => Allocation = allocation;

    public void Dispose() => Disposed = true;
}

internal sealed class FakeClient : IClientTransport, IClientSender
{
    public bool IsStream { get; set; }

    public bool NeverBlocks => true;

    public List<byte[]> Received { get; } = [];

    public IClientSender CreateSender(in FiveTuple tuple) => this;

    public bool Record { get; set; } = true;

    public int Count { get; private set; }

    public void Send(ReadOnlySpan<byte> message)
    {
        Count++;
        if (Record)
        {
            Received.Add(message.ToArray());
        }
    }
}
