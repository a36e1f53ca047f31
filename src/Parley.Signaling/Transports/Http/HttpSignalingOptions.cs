using System.ComponentModel.DataAnnotations;

namespace Parley.Signaling.Transports.Http;

/// <summary>
/// Signaling over plain HTTP for networks that break WebSockets (the <c>Signaling:Http</c> section): an event stream
/// or long polls down, POSTs up (docs/protocol.md, "Signaling over HTTP"). The message, rate and queue limits are the
/// WebSocket's; these bound what only HTTP sessions hold.
/// </summary>
public sealed class HttpSignalingOptions
{
    /// <summary>Serve signaling over HTTP. Defaults to true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Path of the HTTP signaling endpoints. Defaults to <c>/signal</c>.</summary>
    [Required, RegularExpression("^/[A-Za-z0-9/_-]*$")]
    public string Path { get; set; } = "/signal";

    /// <summary>
    /// HTTP sessions one client address may hold at once (loopback exempt, as with the join limit: behind a reverse
    /// proxy every client is the proxy). Defaults to 20.
    /// </summary>
    [Range(1, 10_000)]
    public int MaxSessionsPerAddress { get; set; } = 20;

    /// <summary>
    /// A session with no request from its client (no event stream or poll open, no POST) for this long has vanished,
    /// as a WebSocket whose TCP connection died: its participant is away and may resume. Defaults to 30.
    /// </summary>
    [Range(5, 3600)]
    public int IdleSeconds { get; set; } = 30;

    /// <summary>How long a long poll waits for a message before answering with none. Defaults to 25.</summary>
    [Range(1, 120)]
    public int PollSeconds { get; set; } = 25;

    /// <summary>
    /// A comment line on an idle event stream this often, so proxies (nginx cuts idle ones at 60 s) keep it open.
    /// Defaults to 15.
    /// </summary>
    [Range(1, 120)]
    public int EventStreamKeepAliveSeconds { get; set; } = 15;

    /// <summary>
    /// POSTs that arrived ahead of one still missing (sent concurrently, or a lost one being retried) held until it
    /// comes; one further ahead is refused with <c>out-of-order</c>. Defaults to 32.
    /// </summary>
    [Range(1, 1024)]
    public int MaxPendingMessages { get; set; } = 32;
}
