using Parley.Stun;

namespace Parley.Turn.Relay;

/// <summary>Sends bytes to one client (over the listener's UDP socket, or the client's TCP connection).</summary>
internal interface IClientSender
{
    /// <summary>Whether the client is on a stream transport (ChannelData must then be padded, RFC 8656 §12.5).</summary>
    bool IsStream { get; }

    /// <summary>
    /// Whether <see cref="Send"/> never blocks (a UDP socket, or a TCP connection served by an event loop that queues
    /// what the socket cannot take yet): only then may the relay socket be read by an event loop, whose thread
    /// every socket on it shares.
    /// </summary>
    bool NeverBlocks { get; }

    /// <summary>Sends one message; failures are swallowed (UDP semantics).</summary>
    void Send(ReadOnlySpan<byte> message);
}

/// <summary>The listener a request arrived on: makes the sender an allocation keeps for its client.</summary>
internal interface IClientTransport
{
    /// <summary>A sender to the tuple's client, kept by the allocation.</summary>
    IClientSender CreateSender(in FiveTuple tuple);
}

/// <summary>A relayed transport address: one UDP socket in the relay port range. RFC 8656 §2.</summary>
internal interface IRelaySocket : IDisposable
{
    /// <summary>The address the socket is bound to.</summary>
    TransportAddress LocalAddress { get; }

    /// <summary>The address advertised in XOR-RELAYED-ADDRESS (the external address when behind NAT).</summary>
    TransportAddress AdvertisedAddress { get; }

    /// <summary>Sends a datagram to a peer.</summary>
    void Send(ReadOnlySpan<byte> data, in TransportAddress peer);

    /// <summary>Starts receiving from peers; each datagram goes to <see cref="IPeerDataSink.OnPeerData"/>.</summary>
    void Start(Allocation allocation);
}

/// <summary>Receives datagrams that peers send to relayed addresses.</summary>
internal interface IPeerDataSink
{
    /// <summary>
    /// A datagram from <paramref name="peer"/>: <paramref name="buffer"/> holds it at
    /// <paramref name="offset"/> (at least <see cref="RelayHeadroom"/> bytes in) with <paramref name="length"/> bytes.
    /// </summary>
    void OnPeerData(Allocation allocation, in TransportAddress peer, Span<byte> buffer, int offset, int length);

    /// <summary>Free bytes in front of received data, so the ChannelData header is written in place.</summary>
    const int RelayHeadroom = 4;
}

/// <summary>Creates relay sockets in the relay port range.</summary>
internal interface IRelaySocketFactory
{
    /// <summary>Whether relaying in this family is configured.</summary>
    bool Supports(StunAddressFamily family);

    /// <summary>Binds a new relay socket (at an even port if asked); false when no port is free (508).</summary>
    bool TryCreate(StunAddressFamily family, bool evenPort, out IRelaySocket? relay);

    /// <summary>
    /// Binds two relay sockets at ports N and N+1 of one address, N even, both in the relay port range
    /// (EVEN-PORT with R=1, RFC 8656 §7.2); false when no such pair is free (508).
    /// </summary>
    bool TryCreatePair(StunAddressFamily family, out IRelaySocket? even, out IRelaySocket? next);
}
