using System.ComponentModel.DataAnnotations;

namespace Parley.Compat.PeerJs;

/// <summary>
/// The <c>PeerJs</c> section: the PeerJS-compatible signaling endpoint (docs/protocol.md, "PeerJS compatibility").
/// Validated at start (<see cref="PeerJsOptionsValidator"/>).
/// </summary>
public sealed class PeerJsOptions
{
    public const string SectionName = "PeerJs";

    /// <summary>
    /// Serves <see cref="Path"/>. Defaults to on in open mode and off in token mode (<c>Auth:Keys</c> set): a PeerJS
    /// client carries no access token, so in token mode anyone could signal through it; set true to allow that.
    /// </summary>
    public bool? Enabled { get; set; }

    /// <summary>
    /// Where the endpoint lives; the client's <c>path</c> option. The WebSocket is <c>{Path}/peerjs</c>, a new id
    /// <c>{Path}/{Key}/id</c>. Defaults to <c>/peerjs</c>.
    /// </summary>
    public string Path { get; set; } = "/peerjs";

    /// <summary>The client's <c>key</c> option; any other key is refused. Defaults to <c>peerjs</c>, as peerjs-server's.</summary>
    public string Key { get; set; } = "peerjs";

    /// <summary>Answers <c>GET {Path}/{Key}/peers</c> with every connected id; otherwise 401, as peerjs-server. Defaults to false.</summary>
    public bool AllowDiscovery { get; set; }

    /// <summary>PeerJS WebSockets held at once (apart from <c>Signaling:MaxConnections</c>). Defaults to 5,000, as peerjs-server's <c>concurrent_limit</c>.</summary>
    [Range(1, 1_000_000)]
    public int MaxConnections { get; set; } = 5_000;

    /// <summary>Largest message a client may send, in bytes of UTF-8 JSON (an offer with its SDP and metadata). Defaults to 65,536.</summary>
    [Range(1024, 1024 * 1024)]
    public int MaxMessageBytes { get; set; } = 64 * 1024;

    /// <summary>Sustained messages per second one connection may send; beyond the burst it gets ERROR and is closed. Defaults to 50.</summary>
    [Range(1, 10_000)]
    public int MessagesPerSecond { get; set; } = 50;

    /// <summary>Messages one connection may send in a burst above the sustained rate (a call's first candidates). Defaults to 200.</summary>
    [Range(1, 100_000)]
    public int MessageBurst { get; set; } = 200;

    /// <summary>
    /// Messages held for one id that is not connected (yet), waiting for it to connect; beyond that the sender gets
    /// <c>EXPIRE</c> at once. Defaults to 64.
    /// </summary>
    [Range(1, 10_000)]
    public int MaxQueuedPerDestination { get; set; } = 64;

    /// <summary>Bytes held for all ids that are not connected, together; beyond that senders get <c>EXPIRE</c> at once. Defaults to 16 MiB.</summary>
    [Range(64 * 1024, 1024 * 1024 * 1024)]
    public int MaxQueuedBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>
    /// Seconds a message for an id that is not connected waits before its sender gets <c>EXPIRE</c> (the client's
    /// <c>peer-unavailable</c>). Defaults to 5, as peerjs-server's <c>expire_timeout</c>.
    /// </summary>
    [Range(1, 300)]
    public int ExpireTimeoutSeconds { get; set; } = 5;

    /// <summary>
    /// Seconds a client may send nothing (the client sends <c>HEARTBEAT</c> every 5 s) before it is dropped and its id
    /// freed. Defaults to 60, as the <c>peerjs</c> command's <c>alive_timeout</c> (the library's is 90).
    /// </summary>
    [Range(10, 3600)]
    public int AliveTimeoutSeconds { get; set; } = 60;

    /// <summary>
    /// Seconds between WebSocket pings; a socket that answers none within as long again is dropped, so an id held by a
    /// vanished network frees within twice this. 0 turns pings off. Defaults to 15.
    /// </summary>
    [Range(0, 3600)]
    public int KeepAliveSeconds { get; set; } = 15;
}
