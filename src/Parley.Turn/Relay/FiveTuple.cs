using Parley.Stun;

namespace Parley.Turn.Relay;

/// <summary>The transport between a client and the server.</summary>
public enum TurnTransport
{
    /// <summary>UDP (RFC 8656 §3.1).</summary>
    Udp,

    /// <summary>TCP, or TLS over TCP.</summary>
    Tcp,
}

/// <summary>
/// Client address, server address and transport: the key of an allocation. RFC 8656 §2 "5-tuple".
/// </summary>
/// <param name="Client">The client's transport address as the server sees it.</param>
/// <param name="Server">The server transport address the client talks to.</param>
/// <param name="Transport">UDP or TCP.</param>
public readonly record struct FiveTuple(TransportAddress Client, TransportAddress Server, TurnTransport Transport);
