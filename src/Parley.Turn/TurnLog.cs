using Microsoft.Extensions.Logging;

namespace Parley.Turn;

/// <summary>Log messages of the TURN server, with stable event ids. Secrets and credentials are never logged.</summary>
internal static partial class TurnLog
{
    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "TURN listening on {Transport} {EndPoint}; relaying from {RelayAddresses}")]
    public static partial void Listening(ILogger logger, string transport, Parley.Stun.TransportAddress endPoint, string relayAddresses);

    [LoggerMessage(EventId = 3020, Level = LogLevel.Information, Message = "TURN relays IPv4 from {RelayAddress} ({Source})")]
    public static partial void RelaysFrom(ILogger logger, System.Net.IPAddress relayAddress, RelayAddressSource source);

    [LoggerMessage(EventId = 3021, Level = LogLevel.Warning, Message = "TURN relays IPv4 from {RelayAddress}: this host has no other IPv4 address, so only clients and peers on this machine can use the relay (peers there need Turn:AllowedPeerRanges=127.0.0.0/8); set Turn:RelayAddress, or Turn:ExternalAddress behind NAT, to serve others")]
    public static partial void RelaysFromLoopbackOnly(ILogger logger, System.Net.IPAddress relayAddress);

    [LoggerMessage(EventId = 3022, Level = LogLevel.Error, Message = "TURN cannot relay over IPv4: no IPv4 address of this host can be bound, not even loopback, so every IPv4 Allocate gets 440; bring an interface up or set Turn:RelayAddress to an address of this host")]
    public static partial void CannotRelay(ILogger logger);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Information, Message = "TURN reads UDP with {EventLoops} epoll event loop(s) on {Architecture}")]
    public static partial void UdpEventLoops(ILogger logger, int eventLoops, System.Runtime.InteropServices.Architecture architecture);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Information, Message = "TURN reads UDP with async receive loops (Turn:UdpEventLoops is false, or this is not Linux on x86-64 or arm64)")]
    public static partial void UdpAsyncLoops(ILogger logger);

    [LoggerMessage(EventId = 3023, Level = LogLevel.Debug, Message = "TURN event loop {Index} sends through io_uring")]
    public static partial void IoUringSends(ILogger logger, int index);

    [LoggerMessage(EventId = 3024, Level = LogLevel.Information, Message = "TURN event loop {Index} sends with one system call per socket: the kernel refused io_uring (error {Error}; a kernel before 5.18, io_uring_disabled, or a seccomp sandbox)")]
    public static partial void IoUringUnavailable(ILogger logger, int index, int error);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Debug, Message = "Allocation for {Client} relayed at {Relayed}")]
    public static partial void AllocationCreated(ILogger logger, Parley.Stun.TransportAddress client, Parley.Stun.TransportAddress relayed);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Debug, Message = "Peer {Peer} denied for {Client} by the peer policy")]
    public static partial void PeerDenied(ILogger logger, Parley.Stun.TransportAddress client, Parley.Stun.TransportAddress peer);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "Error handling a packet from {Client}")]
    public static partial void PacketFailed(ILogger logger, Exception exception, Parley.Stun.TransportAddress client);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Debug, Message = "Socket error {SocketError} on {Local}")]
    public static partial void SocketError(ILogger logger, System.Net.Sockets.SocketError socketError, Parley.Stun.TransportAddress local);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Information, Message = "TURN server disabled (Turn:Enabled=false)")]
    public static partial void Disabled(ILogger logger);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Warning, Message = "No Turn:SharedSecrets configured: a random secret was generated; credentials only work with this process's TurnCredentialIssuer")]
    public static partial void GeneratedSecret(ILogger logger);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Information, Message = "TURN over TLS off: no certificate configured (Turn:CertificatePath or Kestrel:Certificates:Default:Path)")]
    public static partial void TlsDisabled(ILogger logger);

    [LoggerMessage(EventId = 3008, Level = LogLevel.Debug, Message = "TURN {Transport} connection from {Client} failed")]
    public static partial void ConnectionFailed(ILogger logger, Exception exception, string transport, Parley.Stun.TransportAddress client);

    [LoggerMessage(EventId = 3009, Level = LogLevel.Debug, Message = "Closing the TURN stream connection from {Client}: no allocation within Turn:StreamWithoutAllocationTimeout")]
    public static partial void StreamWithoutAllocation(ILogger logger, Parley.Stun.TransportAddress client);

    [LoggerMessage(EventId = 3012, Level = LogLevel.Warning, Message = "TURN refused an allocation to {User} with 486: it holds Turn:MaxAllocationsPerUser ({Quota}) already; its browser gets no relay candidates for that peer connection (logged at most once a minute)")]
    public static partial void UserQuotaReached(ILogger logger, string user, int quota);

    [LoggerMessage(EventId = 3013, Level = LogLevel.Warning, Message = "TURN refused an allocation with 508: Turn:MaxAllocations ({Quota}) are in use; raise it (docs/configuration.md) if this server should relay more (logged at most once a minute)")]
    public static partial void TotalQuotaReached(ILogger logger, int quota);

    [LoggerMessage(EventId = 3014, Level = LogLevel.Information, Message = "TURN allows {PerUser} allocations per username (Turn:MaxAllocationsPerUser) and {Total} in total (Turn:MaxAllocations), as many as {FullUsers} usernames holding their whole quota")]
    public static partial void Quotas(ILogger logger, int perUser, int total, int fullUsers);
}
