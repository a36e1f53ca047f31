using System.ComponentModel.DataAnnotations;
using System.Diagnostics.CodeAnalysis;

namespace Parley.Signaling;

/// <summary>
/// Limits and settings of the signaling server, bound from the <c>Signaling</c> configuration section.
/// Every limit is bounded by default: each is a resource a stranger on the internet can consume.
/// </summary>
public sealed class SignalingOptions
{
    public const string SectionName = "Signaling";

    /// <summary>Path of the WebSocket endpoint. Defaults to <c>/ws</c>.</summary>
    [Required, RegularExpression("^/[A-Za-z0-9/_-]*$")]
    public string Path { get; set; } = "/ws";

    /// <summary>Largest accepted message, in bytes of UTF-8 JSON. Defaults to 65,536.</summary>
    [Range(1024, 1024 * 1024)]
    public int MaxMessageBytes { get; set; } = 64 * 1024;

    /// <summary>Participants one room holds; a full mesh stays practical to about 12-16. Defaults to 16.</summary>
    [Range(2, 256)]
    public int MaxParticipantsPerRoom { get; set; } = 16;

    /// <summary>Rooms the server holds at once. Defaults to 10,000.</summary>
    [Range(1, 1_000_000)]
    public int MaxRooms { get; set; } = 10_000;

    /// <summary>WebSocket connections the server holds at once. Defaults to 20,000.</summary>
    [Range(1, 1_000_000)]
    public int MaxConnections { get; set; } = 20_000;

    /// <summary>Sustained messages per second one connection may send. Defaults to 50.</summary>
    [Range(1, 100_000)]
    public int MessagesPerSecond { get; set; } = 50;

    /// <summary>Messages one connection may send in a burst above the sustained rate. Defaults to 200.</summary>
    [Range(1, 100_000)]
    public int MessageBurst { get; set; } = 200;

    /// <summary>Protocol errors one connection may cause before it is closed. Defaults to 20.</summary>
    [Range(1, 10_000)]
    public int MaxErrorsPerConnection { get; set; } = 20;

    /// <summary>Seconds a new connection has to send <c>join</c>. Defaults to 30.</summary>
    [Range(1, 3600)]
    public int JoinTimeoutSeconds { get; set; } = 30;

    /// <summary>
    /// Seconds between WebSocket pings (RFC 6455 §5.5.2); a client that has not answered with a pong
    /// within as long again is dropped. 0 turns them off. Defaults to 0: the protocol's own heartbeat
    /// (<see cref="HeartbeatSeconds"/>) already finds dead connections, and a timer less per connection
    /// is memory saved at tens of thousands of them.
    /// </summary>
    [Range(0, 3600)]
    public int KeepAliveSeconds { get; set; }

    /// <summary>
    /// Accept the signaling WebSocket beneath HTTP on plain (not TLS) connections: a connection whose first request is a
    /// well-formed upgrade to <see cref="Path"/> (RFC 6455 §4.2.1) is answered by Parley itself and becomes a WebSocket
    /// without an HTTP request behind it, which saves about half the memory an idle connection holds and the HTTP layers
    /// every message went through (docs/benchmarks.md). Every other request, and HTTPS, goes through Kestrel and
    /// the endpoint as before. Defaults to <c>true</c>.
    /// </summary>
    public bool DirectWebSocket { get; set; } = true;

    /// <summary>
    /// Seconds between the server's heartbeat <c>ping</c> messages, which clients answer with <c>pong</c>
    /// (docs/protocol.md, "Transport"). Defaults to 10.
    /// </summary>
    [Range(1, 3600)]
    public int HeartbeatSeconds { get; set; } = 10;

    /// <summary>
    /// Seconds without any message from a client before its connection is closed as dead. Checked at every
    /// heartbeat, so a dead connection goes within this plus <see cref="HeartbeatSeconds"/>. Defaults to 25.
    /// </summary>
    [Range(2, 7200)]
    public int HeartbeatTimeoutSeconds { get; set; } = 25;

    /// <summary>
    /// Seconds a participant whose connection dropped abruptly keeps its place, so it can <c>resume</c>
    /// before the others are told it left. 0 reports it at once. Defaults to 20.
    /// </summary>
    [Range(0, 3600)]
    public int ResumeGraceSeconds { get; set; } = 20;

    /// <summary>
    /// After a room mate reports <c>peer-lost</c> about a participant whose connection sent nothing for 2 s, the
    /// server pings it; with no message back within this many seconds, the participant is announced as left at
    /// once, without the grace period (its client can still resume). 0 turns the check off. Defaults to 3.
    /// </summary>
    [Range(0, 60)]
    public int PeerLostCheckSeconds { get; set; } = 3;

    /// <summary>
    /// The <c>retryAfterMs</c> of the <c>goaway</c> sent to every client when the server shuts down: how long
    /// clients wait (plus jitter) before reconnecting. Defaults to 1000.
    /// </summary>
    [Range(0, 600_000)]
    public int ShutdownRetryAfterMilliseconds { get; set; } = 1000;

    /// <summary>
    /// Messages queued for one client that does not read them before it is closed (<c>slow-consumer</c>).
    /// Defaults to 1024: with <see cref="MaxQueuedBytes"/>, a second or two of a busy room's traffic to a client
    /// whose device stalls, not a fraction of one.
    /// </summary>
    [Range(8, 65_536)]
    public int MaxQueuedMessages { get; set; } = 1024;

    /// <summary>
    /// Bytes queued for one client that does not read them before it is closed (<c>slow-consumer</c>): what
    /// bounds the memory a stalled client holds. Defaults to 1 MiB (256 offers of 4 KB); 64 KiB to 64 MiB.
    /// </summary>
    [Range(64 * 1024, 64 * 1024 * 1024)]
    public int MaxQueuedBytes { get; set; } = 1024 * 1024;

    /// <summary>Longest room name, in UTF-16 code units after trimming. Defaults to 64.</summary>
    [Range(1, 256)]
    public int MaxRoomNameLength { get; set; } = 64;

    /// <summary>Longest display name, in UTF-16 code units after trimming. Defaults to 32.</summary>
    [Range(1, 256)]
    public int MaxDisplayNameLength { get; set; } = 32;

    /// <summary>Longest chat message, in UTF-16 code units after trimming. Defaults to 500.</summary>
    [Range(1, 16_384)]
    public int MaxChatLength { get; set; } = 500;

    /// <summary>Sustained chat messages per minute one connection may send. Defaults to 30.</summary>
    [Range(1, 60_000)]
    public int ChatMessagesPerMinute { get; set; } = 30;

    /// <summary>Chat messages one connection may send in a burst above the sustained rate. Defaults to 5.</summary>
    [Range(1, 1_000)]
    public int ChatBurst { get; set; } = 5;

    /// <summary>
    /// In open mode (no <c>Auth:Keys</c>), joins one client address may make per minute (an IPv6 client counts by its
    /// /64), in bursts of as many; more get <c>rate-exceeded</c>. Loopback clients (a reverse proxy on this machine) are
    /// not limited. 0 turns the limit off. Token mode does not use it: the
    /// app's backend decides who joins. Defaults to 20.
    /// </summary>
    [Range(0, 100_000)]
    public int JoinsPerMinutePerAddress { get; set; } = 20;

    /// <summary>Signaling over HTTP, for networks that break WebSockets (the <c>Signaling:Http</c> section).</summary>
    public Transports.Http.HttpSignalingOptions Http { get; set; } = new();

    /// <summary>
    /// ICE servers handed to every participant in <c>joined</c>. Defaults to none: peers then reach each
    /// other only on the same machine or LAN.
    /// </summary>
    public List<IceServerOptions> IceServers { get; set; } = [];
}

/// <summary>One entry of <see cref="SignalingOptions.IceServers"/>, shaped like the browser's RTCIceServer.</summary>
public sealed class IceServerOptions
{
    /// <summary><c>stun:</c>, <c>turn:</c> or <c>turns:</c> URIs. Required.</summary>
    [Required, MinLength(1)]
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Options types are validated by reflection over their public properties; the native build keeps Parley's assemblies whole (TrimmerRootAssembly in Parley.Server.csproj), and the native smoke test checks a refused value.")]
    public List<string> Urls { get; set; } = [];

    /// <summary>TURN username. Defaults to none.</summary>
    public string? Username { get; set; }

    /// <summary>TURN password. Defaults to none.</summary>
    public string? Credential { get; set; }
}
