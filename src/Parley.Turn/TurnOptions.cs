using System.ComponentModel.DataAnnotations;
using System.Diagnostics.CodeAnalysis;

namespace Parley.Turn;

/// <summary>
/// Configuration of the embedded TURN server, bound from the <c>Turn</c> section. Every limit is bounded by
/// default (docs/turn-security.md). RFC 8656.
/// </summary>
public sealed class TurnOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Turn";

    /// <summary>Whether the TURN server runs. Defaults to <c>true</c>.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>UDP and TCP port of the TURN listener. Defaults to 3478 (RFC 8656 §4).</summary>
    [Range(1, 65535)]
    public int Port { get; set; } = 3478;

    /// <summary>
    /// TCP port of the TURN-over-TLS listener (<c>turns:</c>, RFC 8656 §3.1, RFC 7065). Defaults to 5349. The
    /// listener runs only when a certificate is configured: <see cref="CertificatePath"/>, or else the HTTPS
    /// default certificate (<c>Kestrel:Certificates:Default:Path</c> with <c>:Password</c> or <c>:KeyPath</c>);
    /// without one, TLS is off and the log says so.
    /// </summary>
    [Range(1, 65535)]
    public int TlsPort { get; set; } = 5349;

    /// <summary>
    /// Certificate of the TLS listener, overriding the HTTPS default certificate: a PFX/PKCS#12 file (with
    /// <see cref="CertificatePassword"/>), or a PEM certificate with <see cref="CertificateKeyPath"/>. Relative
    /// paths are resolved against the content root, as Kestrel does. Defaults to <c>null</c>: use
    /// <c>Kestrel:Certificates:Default</c>.
    /// </summary>
    public string? CertificatePath { get; set; }

    /// <summary>PEM private key of <see cref="CertificatePath"/>. Defaults to <c>null</c> (PFX, or no override).</summary>
    public string? CertificateKeyPath { get; set; }

    /// <summary>
    /// Password of the PFX file, or of an encrypted PEM key, at <see cref="CertificatePath"/>. Defaults to
    /// <c>null</c>. Never logged.
    /// </summary>
    public string? CertificatePassword { get; set; }

    /// <summary>
    /// How often the TLS listener's certificate files (<see cref="CertificatePath"/>, or the HTTPS default
    /// certificate's) are checked for a replacement, 1 to 3,600 seconds: a renewed certificate is then used for new
    /// TLS connections while open ones keep theirs (<see cref="ReloadingCertificate"/>). Defaults to 10, as
    /// <c>Server:CertificateReloadSeconds</c> for HTTPS.
    /// </summary>
    [Range(1, 3600)]
    public int CertificateReloadSeconds { get; set; } = 10;

    /// <summary>
    /// Address the UDP, TCP and TLS listeners bind to. Defaults to <c>0.0.0.0</c> (every IPv4 interface): a TURN
    /// server exists to be reachable by clients on other networks, so a loopback default would be useless;
    /// what keeps it from being an open proxy is the peer policy (default-deny of special-purpose ranges
    /// and of the server's own addresses) and mandatory authentication, not the listen address. Use
    /// <c>::</c> for a dual-stack listener.
    /// </summary>
    public string ListenAddress { get; set; } = "0.0.0.0";

    /// <summary>
    /// IPv4 address relay sockets bind to. Defaults to <c>null</c>: the <see cref="ListenAddress"/> when it
    /// is a specific IPv4 address, otherwise the host's first non-loopback IPv4 address that a socket can bind to,
    /// otherwise loopback (a host with only <c>lo</c>: only clients on the machine can relay). The start-up log
    /// says which address relays, or that none can.
    /// </summary>
    public string? RelayAddress { get; set; }

    /// <summary>
    /// IPv6 address relay sockets bind to, enabling IPv6 relaying (REQUESTED-ADDRESS-FAMILY and
    /// ADDITIONAL-ADDRESS-FAMILY, RFC 8656 §7.2). Defaults to <c>null</c>: IPv6 relay requests are answered
    /// with 440 Address Family not Supported.
    /// </summary>
    public string? RelayAddressIPv6 { get; set; }

    /// <summary>
    /// The public IPv4 address advertised in XOR-RELAYED-ADDRESS when the server sits behind a 1:1 NAT.
    /// Defaults to <c>null</c>: the relay address itself is advertised.
    /// </summary>
    public string? ExternalAddress { get; set; }

    /// <summary>The REALM of long-term credentials (RFC 8489 §9.2). Defaults to <c>"parley"</c>.</summary>
    [Required]
    [StringLength(127, MinimumLength = 1)]
    public string Realm { get; set; } = "parley";

    /// <summary>
    /// Shared secrets for coturn-compatible time-limited credentials. The first one issues credentials; all
    /// of them are accepted, so a secret can be rotated by prepending the new one. Defaults to empty: a
    /// random secret is generated at start (credentials then only work in this process). Never logged.
    /// </summary>
    [MaxLength(8)]
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Options types are validated by reflection over their public properties; the native build keeps Parley's assemblies whole (TrimmerRootAssembly in Parley.Server.csproj), and the native smoke test checks a refused value.")]
    public IList<string> SharedSecrets { get; } = [];

    /// <summary>
    /// Validity of the credentials <see cref="TurnCredentialIssuer"/> hands out. Defaults to 1 hour; at most 24 hours.
    /// </summary>
    public TimeSpan CredentialLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long after its time-limited credential expired an existing allocation can still be kept alive:
    /// Refresh, CreatePermission and ChannelBind from the allocation's own 5-tuple, with the USERNAME that created
    /// it and a valid MESSAGE-INTEGRITY, are accepted until the username's expiry plus this grace, so a call
    /// outlives <see cref="CredentialLifetime"/>. New allocations always need an unexpired credential (as in
    /// coturn, where expiry is checked when a session is created). Defaults to 12 hours; 0 (none) to 7 days.
    /// </summary>
    public TimeSpan ExpiredCredentialGrace { get; set; } = TimeSpan.FromHours(12);

    /// <summary>How long a NONCE stays valid before 438 Stale Nonce. Defaults to 10 minutes.</summary>
    public TimeSpan NonceLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// CIDR ranges exempt from the default-deny peer policy (e.g. <c>10.0.0.0/8</c> for a LAN deployment).
    /// Defaults to empty: every special-purpose range and the server's own addresses are denied.
    /// </summary>
    public IList<string> AllowedPeerRanges { get; } = [];

    /// <summary>First port of the relay port range. Defaults to 49152 (RFC 8656 §7.2 suggests the dynamic range).</summary>
    [Range(1024, 65535)]
    public int RelayPortMin { get; set; } = 49152;

    /// <summary>Last port of the relay port range. Defaults to 65535.</summary>
    [Range(1024, 65535)]
    public int RelayPortMax { get; set; } = 65535;

    /// <summary>
    /// What <see cref="MaxAllocationsPerUser"/> is when nothing else resolves it: 60, what a participant of a full room
    /// of 16 (the signaling default) needs with the two TURN URIs handed out without TLS, (16 − 1) × 2 × 2.
    /// </summary>
    public const int AutomaticMaxAllocationsPerUser = 60;

    /// <summary>
    /// Allocations one username (in Parley, one participant: each gets a credential of its own) may hold at once;
    /// one more is refused with 486 Allocation Quota Reached (RFC 8656 §7.2). A browser in a full-mesh room allocates
    /// once per TURN URI for every peer connection, and an ICE restart allocates anew before the old allocations
    /// expire, so the quota must follow the room size. Defaults to <c>null</c>, automatic: the Parley host resolves
    /// it at start to (Signaling:MaxParticipantsPerRoom − 1) × TURN URIs handed to each participant (2, or 3 with
    /// TLS) × 2, which is 60 with the defaults (90 with TLS); the TURN server without the host uses
    /// <see cref="AutomaticMaxAllocationsPerUser"/>. A configured value (1 to 10,000) wins. A relayed port reserved by
    /// EVEN-PORT with the R bit (RFC 8656 §7.2) counts as one until it is redeemed or expires.
    /// </summary>
    [Range(1, 10_000)]
    public int? MaxAllocationsPerUser { get; set; }

    /// <summary>
    /// Allocations in total, reserved relayed ports included; one more is refused with 508 Insufficient Capacity and a
    /// warning in the log. Each holds a
    /// relay port (<see cref="RelayPortMin"/>-<see cref="RelayPortMax"/>) and, over TCP or TLS, a connection. A
    /// participant who relays every peer of a full room of 16 holds 30 (45 with TLS), so the default serves about 33
    /// such participants at once. Defaults to 1000.
    /// </summary>
    [Range(1, 100_000)]
    public int MaxAllocations { get; set; } = 1000;

    /// <summary>Permissions per allocation. Defaults to 32.</summary>
    [Range(1, 1000)]
    public int MaxPermissionsPerAllocation { get; set; } = 32;

    /// <summary>Channel bindings per allocation. Defaults to 32.</summary>
    [Range(1, 4096)]
    public int MaxChannelsPerAllocation { get; set; } = 32;

    /// <summary>
    /// Relayed bytes per second per allocation, each direction (a one-second burst is allowed). Defaults to
    /// 256 000 (about 2 Mbit/s, room for many Opus streams).
    /// </summary>
    [Range(1000, 1_000_000_000)]
    public int MaxBandwidthPerAllocation { get; set; } = 256_000;

    /// <summary>Allocation lifetime when the client asks for less or nothing. Defaults to 600 s (RFC 8656 §3.2).</summary>
    public TimeSpan DefaultLifetime { get; set; } = TimeSpan.FromSeconds(600);

    /// <summary>Longest allocation lifetime granted. Defaults to 3600 s (RFC 8656 §7.2 "SHOULD NOT exceed 3600").</summary>
    public TimeSpan MaxLifetime { get; set; } = TimeSpan.FromSeconds(3600);

    /// <summary>
    /// 401/438 replies, and other error replies to unauthenticated requests (400, a Binding's 420), allowed per
    /// second per source address (anti-reflection); the burst is twice this. Defaults to 10.
    /// </summary>
    [Range(1, 10_000)]
    public int ErrorRepliesPerSecond { get; set; } = 10;

    /// <summary>
    /// Linux event loops only (TCP clients are served by the UDP event loops there): the most bytes waiting for one TCP
    /// client whose socket cannot take them yet. Whole messages that do not fit are dropped (for voice, a packet that
    /// late is as good as lost), never cut, so the stream's framing stays intact; a connection holds no buffer while
    /// nothing waits. Defaults to 65,536 (about 7 s of one 172-byte Opus stream); 16,448 (one largest relayed message)
    /// to 4,194,304.
    /// </summary>
    [Range(16448, 4 << 20)]
    public int StreamSendBacklogBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// How long a TCP or TLS connection may stay open without an allocation, after it opens or after its
    /// allocation ends; a stranger cannot hold the connection slots by connecting and waiting. Defaults to 30 s.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Options types are validated by reflection over their public properties; the native build keeps Parley's assemblies whole (TrimmerRootAssembly in Parley.Server.csproj), and the native smoke test checks a refused value.")]
    public TimeSpan StreamWithoutAllocationTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Receive buffer of the UDP listener socket (SO_RCVBUF), in bytes: room for the datagrams that arrive
    /// while the server is descheduled, which the kernel drops once the buffer is full. Defaults to 4 MiB
    /// (about 20,000 voice packets); 64 KiB to 64 MiB. Linux caps it at <c>net.core.rmem_max</c>.
    /// </summary>
    [Range(64 * 1024, 64 * 1024 * 1024)]
    public int SocketReceiveBufferBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>
    /// Linux x86-64 and arm64: receive and relay UDP with the epoll event loops (<see cref="UdpThreads"/>,
    /// <see cref="UdpBatchMicroseconds"/>). Defaults to <c>true</c>; <c>false</c> uses the portable async receive
    /// loops that every other platform runs, for a kernel or sandbox (seccomp) that refuses the loops' system calls.
    /// </summary>
    public bool UdpEventLoops { get; set; } = true;

    /// <summary>
    /// Linux event loops only: each round's sends to many sockets (relayed datagrams to peers, TCP clients' bytes) go
    /// to the kernel in one io_uring submission instead of one system call each. Defaults to <c>true</c>; a kernel before
    /// 5.18, or one or a sandbox (seccomp, <c>io_uring_disabled</c>) that refuses io_uring, gets system calls as with
    /// <c>false</c>, and the log says so.
    /// </summary>
    public bool IoUring { get; set; } = true;

    /// <summary>
    /// Threads that receive and relay UDP on Linux, each with its own listener socket (SO_REUSEPORT) and its
    /// share of the relay sockets. Defaults to 0: one per two processors (at least one). 0 to 64. Other
    /// platforms use async loops.
    /// </summary>
    [Range(0, 64)]
    public int UdpThreads { get; set; }

    /// <summary>
    /// Linux UDP event loops only: the longest a busy loop waits after a round, in microseconds, so that the next
    /// round relays a batch with one wake-up and fewer system calls (interrupt moderation). The wait is sized to
    /// gather about 32 datagrams at the loop's measured rate, so it shortens as traffic grows (800 µs at 40,000
    /// datagrams a second); a loop is busy while this window would gather at least 4 (4,000 a second at the
    /// default). Adds at most this much delay per pass through the relay, and only under load; light traffic is
    /// never delayed. Defaults to 1,000; 0 turns it off; at most 2,000.
    /// </summary>
    [Range(0, 2000)]
    public int UdpBatchMicroseconds { get; set; } = 1000;

    /// <summary>SOFTWARE attribute added to responses. Defaults to <c>null</c>: none (no fingerprinting).</summary>
    public string? Software { get; set; }
}
