using System.ComponentModel.DataAnnotations;

namespace Parley.Compat.Tracker;

/// <summary>
/// The WebTorrent tracker at <see cref="Path"/>, bound from the <c>Tracker</c> section (docs/configuration.md).
/// Every limit is bounded by default: each is a resource a stranger on the internet can hold.
/// </summary>
public sealed class TrackerOptions
{
    public const string SectionName = "Tracker";

    /// <summary>
    /// Serves the tracker. Defaults to on in open mode and off in token mode (<c>Auth:Keys</c> set): a tracker admits
    /// anyone who knows a room's info_hash, which token mode exists to prevent, so it must be switched on knowingly.
    /// </summary>
    public bool? Enabled { get; set; }

    /// <summary>Path of the tracker's WebSocket. Defaults to <c>/announce</c>, the path trackers are usually given.</summary>
    [Required, RegularExpression("^/[A-Za-z0-9/_-]*$")]
    public string Path { get; set; } = "/announce";

    /// <summary>
    /// The <c>interval</c> (seconds) the tracker asks clients to announce at. Defaults to 20: Trystero takes it as its
    /// announce period (clamped to 10-120 s) and re-sends its pending offers to new random peers each time, so a
    /// short interval is how a peer that a fan-out missed is found again; 20 s halves Trystero's default load of one
    /// announce every 10 s, and stays far enough under <see cref="PeerTimeoutSeconds"/> that one lost announce never
    /// drops a live peer.
    /// </summary>
    [Range(5, 600)]
    public int IntervalSeconds { get; set; } = 20;

    /// <summary>
    /// Seconds a peer stays in a swarm without announcing in it. Defaults to 130: just over the 120 s at which an idle
    /// Trystero room still announces, where the reference keeps peers 20 minutes. A peer whose socket closes, or stops
    /// answering the WebSocket pings (<see cref="KeepAliveSeconds"/>), leaves at once.
    /// </summary>
    [Range(10, 3600)]
    public int PeerTimeoutSeconds { get; set; } = 130;

    /// <summary>
    /// Seconds an offer delivered to a peer can be answered: an answer is routed only for an offer this server
    /// delivered to the answering peer within this window (as aquatic does). Defaults to 120, Trystero's offer lifetime.
    /// </summary>
    [Range(5, 3600)]
    public int OfferTimeoutSeconds { get; set; } = 120;

    /// <summary>
    /// Seconds between WebSocket pings (RFC 6455 §5.5.2); a client that has not answered within as long again is
    /// dropped, and leaves its swarms. Defaults to 15. 0 turns them off (dead sockets then leave only by
    /// <see cref="PeerTimeoutSeconds"/>).
    /// </summary>
    [Range(0, 3600)]
    public int KeepAliveSeconds { get; set; } = 15;

    /// <summary>Largest accepted message, in bytes of UTF-8 JSON. Defaults to 65,536 (aquatic's limit; ten offers of ~5 KB fit).</summary>
    [Range(1024, 1024 * 1024)]
    public int MaxMessageBytes { get; set; } = 64 * 1024;

    /// <summary>Offers relayed from one announce; more are ignored. Defaults to 10 (aquatic's; Trystero sends 3, bittorrent-tracker up to 5).</summary>
    [Range(1, 100)]
    public int MaxOffersPerAnnounce { get; set; } = 10;

    /// <summary>Peers one swarm holds; an announce into a full swarm gets a failure reason. Defaults to 500.</summary>
    [Range(2, 100_000)]
    public int MaxPeersPerSwarm { get; set; } = 500;

    /// <summary>
    /// Swarm memberships (an info_hash with one peer_id) one connection may hold. Defaults to 20: a Trystero page uses
    /// one per room.
    /// </summary>
    [Range(1, 10_000)]
    public int MaxSwarmsPerConnection { get; set; } = 20;

    /// <summary>Info hashes one scrape may ask about. Defaults to 20.</summary>
    [Range(1, 1_000)]
    public int MaxScrapeInfoHashes { get; set; } = 20;

    /// <summary>Tracker WebSocket connections held at once, counted apart from <c>/ws</c>'s. Defaults to 10,000.</summary>
    [Range(1, 1_000_000)]
    public int MaxConnections { get; set; } = 10_000;

    /// <summary>Sustained messages per second one connection may send. Defaults to 20.</summary>
    [Range(1, 100_000)]
    public int MessagesPerSecond { get; set; } = 20;

    /// <summary>Messages one connection may send in a burst above the sustained rate. Defaults to 100.</summary>
    [Range(1, 100_000)]
    public int MessageBurst { get; set; } = 100;

    /// <summary>Refused messages (malformed, over the rate, ...) one connection may send before it is closed. Defaults to 20.</summary>
    [Range(1, 10_000)]
    public int MaxErrorsPerConnection { get; set; } = 20;

    /// <summary>Messages queued for a client that does not read them before it is closed. Defaults to 256.</summary>
    [Range(8, 65_536)]
    public int MaxQueuedMessages { get; set; } = 256;

    /// <summary>Bytes queued for a client that does not read them before it is closed. Defaults to 1 MiB; 64 KiB to 64 MiB.</summary>
    [Range(64 * 1024, 64 * 1024 * 1024)]
    public int MaxQueuedBytes { get; set; } = 1024 * 1024;
}
