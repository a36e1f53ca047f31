using Microsoft.Extensions.Logging;
using Parley.Stun;
using Parley.Stun.Attributes;
using Parley.Turn.Auth;
using Parley.Turn.Policy;

namespace Parley.Turn.Relay;

/// <summary>
/// The TURN server without sockets: turns one client packet into at most one reply, and relays Send
/// indications, ChannelData and peer data. RFC 8656 §5-§12 on top of RFC 8489. Listeners own the sockets
/// and call <see cref="HandleClientPacket"/>; relay sockets call <see cref="OnPeerData"/>.
/// </summary>
internal sealed partial class TurnRequestHandler : IPeerDataSink
{
    /// <summary>Largest reply written (a full-size Data indication fits in the relay scratch buffer instead).</summary>
    public const int MaxResponseLength = 1500;

    /// <summary>
    /// Most unknown attribute types listed in a 420's UNKNOWN-ATTRIBUTES: the reply to an unauthenticated Binding
    /// stays small (docs/turn-security.md: never more than 4 times the request), and 8 types tell a client enough.
    /// </summary>
    private const int MaxUnknownListed = 8;

    /// <summary>
    /// The comprehension-required attributes this server understands: every type Parley.Stun reads, except
    /// DONT-FRAGMENT (RFC 8656 §7.2: a server that does not support it answers 420).
    /// </summary>
    private static readonly Func<StunAttributeType, bool> IsHandledAttribute = static type =>
        type != StunAttributeType.DontFragment && type.IsKnown();

    private readonly TurnOptions _options;
    private readonly TimeProvider _time;
    private readonly LongTermAuthenticator _auth;
    private readonly PeerPolicy _policy;
    private readonly IRelaySocketFactory _relays;
    private readonly AllocationTable _allocations;
    private readonly ErrorReplyLimiter _limiter;
    private readonly ILogger _logger;
    private readonly long _permissionLifetime;
    private readonly long _channelLifetime;
    private readonly int _maxAllocationsPerUser;
    private readonly LogThrottle _userQuotaWarnings;
    private readonly LogThrottle _totalQuotaWarnings;
    private readonly TurnMetrics _metrics;

    public TurnRequestHandler(TurnOptions options, TimeProvider time, LongTermAuthenticator auth, PeerPolicy policy,
        IRelaySocketFactory relays, AllocationTable allocations, ILogger logger, TurnMetrics? metrics = null)
    {
        _metrics = metrics ?? TurnMetrics.Unobserved;
        _options = options;
        _time = time;
        _auth = auth;
        _policy = policy;
        _relays = relays;
        _allocations = allocations;
        _logger = logger;
        _limiter = new ErrorReplyLimiter(options.ErrorRepliesPerSecond, time.TimestampFrequency);
        _permissionLifetime = Ticks(PermissionLifetime);
        _channelLifetime = Ticks(ChannelLifetime);
        _maxAllocationsPerUser = options.MaxAllocationsPerUser ?? TurnOptions.AutomaticMaxAllocationsPerUser;
        _userQuotaWarnings = new LogThrottle(QuotaWarningInterval, time.TimestampFrequency);
        _totalQuotaWarnings = new LogThrottle(QuotaWarningInterval, time.TimestampFrequency);
    }

    /// <summary>RFC 8656 §9: "The Permission Lifetime MUST be 300 seconds (= 5 minutes)."</summary>
    public static TimeSpan PermissionLifetime => TimeSpan.FromSeconds(300);

    /// <summary>RFC 8656 §12: a channel binding lasts 10 minutes unless refreshed.</summary>
    public static TimeSpan ChannelLifetime => TimeSpan.FromSeconds(600);

    /// <summary>How often at most a refusal by a quota (486, 508) is logged.</summary>
    public static TimeSpan QuotaWarningInterval => TimeSpan.FromMinutes(1);

    /// <summary>Turn:MaxAllocationsPerUser as enforced: the configured or host-resolved value, else the automatic default.</summary>
    public int MaxAllocationsPerUser => _maxAllocationsPerUser;

    public AllocationTable Allocations => _allocations;

    private long Now => _time.GetTimestamp();

    /// <summary>
    /// The peer policy, with one exception: another allocation's relayed transport address on this server
    /// is allowed, so two clients who both need TURN can talk relay to relay. The policy denies the server's
    /// own addresses to keep its other services out of reach; a live relay port is no such service.
    /// </summary>
    private bool IsPeerAllowed(in TransportAddress peer) => _policy.IsAllowed(peer) || _allocations.IsRelayedAddress(peer);

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * _time.TimestampFrequency);

    /// <summary>
    /// Handles one packet from a client (a UDP datagram or one TCP frame) and writes the reply, if any,
    /// into <paramref name="response"/>; returns the reply length (0: nothing to send). Never throws on bad input.
    /// </summary>
    public int HandleClientPacket(ReadOnlySpan<byte> packet, in FiveTuple tuple, IClientTransport transport, Span<byte> response)
    {
        if (ChannelData.IsChannelData(packet))
        {
            HandleChannelData(packet, tuple);
            return 0;
        }

        // RFC 8489 §6.3: a message that is not well-formed STUN "is silently discarded"; dropping the rest
        // of the malformed messages too keeps the server from reflecting anything it could not parse.
        if (!StunMessage.TryRead(packet, out StunMessage message, out _)
            || (message.HasFingerprint && !Fingerprint.Verify(message, out _)))
        {
            return 0;
        }

        StunMessageType type = message.Type;
        switch (type.Class)
        {
            case StunClass.Request:
                return HandleRequest(message, tuple, transport, response);
            case StunClass.Indication when type.Method == StunMethod.Send:
                // RFC 8489 §6.3.2: "If the indication contains unknown comprehension-required attributes, the
                // indication is discarded and processing ceases."
                if (message.FindUnknownComprehensionRequired([], IsHandledAttribute) == 0)
                {
                    HandleSend(message, tuple);
                }

                return 0;
            default:
                // Binding indications (keepalives), responses and other indications are ignored.
                return 0;
        }
    }

    private int HandleRequest(scoped in StunMessage request, in FiveTuple tuple, IClientTransport transport, Span<byte> response)
    {
        // RFC 8489 §6.3.1: "If the request contains one or more unknown comprehension-required attributes, the
        // server replies with an error response with an error code of 420 (Unknown Attribute) and includes an
        // UNKNOWN-ATTRIBUTES attribute in the response that lists the unknown comprehension-required attributes."
        // Comprehension-optional ones (0x8000-0xFFFF) are ignored.
        Span<StunAttributeType> unknown = stackalloc StunAttributeType[MaxUnknownListed];
        int unknownCount = Math.Min(request.FindUnknownComprehensionRequired(unknown, IsHandledAttribute), MaxUnknownListed);
        StunMethod method = request.Type.Method;
        if (method == StunMethod.Binding)
        {
            // Binding needs no credentials, so its 420 is an unauthenticated reply: rate-limited per source and
            // never more than 4 times the request's size, like a 401.
            return unknownCount > 0
                ? WriteUnknownAttributes(request, tuple, response, unknown[..unknownCount], auth: null)
                : WriteBindingSuccess(request, tuple, response);
        }

        if (method is not (StunMethod.Allocate or StunMethod.Refresh or StunMethod.CreatePermission or StunMethod.ChannelBind))
        {
            return WriteUnauthenticatedError(request, tuple, response, StunErrorCode.BadRequest);
        }

        // RFC 8656 §5: "the server MUST ... authenticate the request ... using the long-term credential mechanism".
        // An existing allocation may be kept alive with the (since expired) username that created it, within
        // Turn:ExpiredCredentialGrace; creating one always needs an unexpired credential.
        bool tcp = tuple.Transport == TurnTransport.Tcp;
        string? renewing = method != StunMethod.Allocate && _allocations.TryGet(tuple, Now, out Allocation existing)
            ? existing.Username
            : null;
        switch (_auth.Authenticate(request, tuple.Client, tcp, renewing, out AuthResult auth))
        {
            case AuthOutcome.Unauthenticated:
                return WriteChallenge(request, tuple, response, StunErrorCode.Unauthenticated);
            case AuthOutcome.StaleNonce:
                return WriteChallenge(request, tuple, response, StunErrorCode.StaleNonce);
            case AuthOutcome.BadRequest:
                return WriteUnauthenticatedError(request, tuple, response, StunErrorCode.BadRequest);
        }

        // The 420 of an authenticated method comes after authentication (RFC 8656 §5: the long-term credential
        // checks of RFC 8489 §9.2.4 come first), so a stranger learns nothing but a 401 and the 420 is signed.
        if (unknownCount > 0)
        {
            return WriteUnknownAttributes(request, tuple, response, unknown[..unknownCount], auth);
        }

        return method switch
        {
            StunMethod.Allocate => HandleAllocate(request, tuple, transport, auth, response),
            StunMethod.Refresh => HandleRefresh(request, tuple, auth, response),
            StunMethod.CreatePermission => HandleCreatePermission(request, tuple, auth, response),
            _ => HandleChannelBind(request, tuple, auth, response),
        };
    }

    /// <summary>
    /// Finds the request's allocation: RFC 8656 §5 "If the request is not an Allocate and there is no
    /// allocation for the 5-tuple, 437 (Allocation Mismatch)"; a USERNAME other than the allocation's draws
    /// 441 (Wrong Credentials).
    /// </summary>
    private StunErrorCode FindAllocation(in FiveTuple tuple, in AuthResult auth, out Allocation allocation)
    {
        if (!_allocations.TryGet(tuple, Now, out allocation))
        {
            return StunErrorCode.AllocationMismatch;
        }

        return string.Equals(allocation.Username, auth.Username, StringComparison.Ordinal)
            ? 0
            : StunErrorCode.WrongCredentials;
    }

    private static int WriteBindingSuccess(scoped in StunMessage request, in FiveTuple tuple, Span<byte> response)
    {
        // RFC 8489 §7.3.1: the success response carries XOR-MAPPED-ADDRESS, the request's source address.
        var writer = new StunMessageWriter(response, request.Type.ToSuccessResponse(), request.TransactionId);
        writer.Add(new XorMappedAddress(tuple.Client));
        if (request.HasFingerprint)
        {
            writer.Add(new Fingerprint());
        }

        return writer.HasFailed ? 0 : writer.BytesWritten;
    }

    /// <summary>
    /// 401/438 with REALM, NONCE and PASSWORD-ALGORITHMS (RFC 8489 §9.2.4), rate-limited per source over UDP and
    /// never more than 4 times the request's size (docs/turn-security.md §5).
    /// </summary>
    private int WriteChallenge(scoped in StunMessage request, in FiveTuple tuple, Span<byte> response, StunErrorCode code)
    {
        if (!MayAnswerUnauthenticated(tuple))
        {
            return 0;
        }

        var writer = new StunMessageWriter(response, request.Type.ToErrorResponse(), request.TransactionId);
        writer.Add(new ErrorCode(code));
        _metrics.Error(code);
        writer.Add(new Realm(_auth.Realm));
        writer.Add(new Nonce(_auth.CreateNonce(tuple.Client, tuple.Transport == TurnTransport.Tcp)));
        writer.Add(LongTermAuthenticator.Offered);
        return LimitAmplification(ref writer, request);
    }

    private int WriteUnauthenticatedError(scoped in StunMessage request, in FiveTuple tuple, Span<byte> response, StunErrorCode code)
    {
        if (!MayAnswerUnauthenticated(tuple))
        {
            return 0;
        }

        var writer = new StunMessageWriter(response, request.Type.ToErrorResponse(), request.TransactionId);
        writer.Add(new ErrorCode(code));
        _metrics.Error(code);
        return LimitAmplification(ref writer, request);
    }

    /// <summary>
    /// The anti-reflection budget (Turn:ErrorRepliesPerSecond per source address) applies to UDP only: a spoofed
    /// source can only be reflected onto over UDP, while a TCP or TLS client completed a handshake from its
    /// address. Every first Allocate draws a 401, and a browser joining a full room allocates over TCP once per
    /// peer at once (15 in a room of 16), beyond the burst; a request on a stream is not retransmitted as one over
    /// UDP is, so a dropped 401 held the browser up: relay-only pages in a full room took about 15 s to connect
    /// instead of under one (FullRoomRelayTests).
    /// </summary>
    private bool MayAnswerUnauthenticated(in FiveTuple tuple) =>
        tuple.Transport != TurnTransport.Udp || _limiter.TryAcquire(tuple.Client, Now);

    /// <summary>420 (Unknown Attribute) with UNKNOWN-ATTRIBUTES; signed if <paramref name="auth"/> is given.</summary>
    private int WriteUnknownAttributes(scoped in StunMessage request, in FiveTuple tuple, Span<byte> response,
        scoped ReadOnlySpan<StunAttributeType> unknown, AuthResult? auth)
    {
        if (auth is null && !MayAnswerUnauthenticated(tuple))
        {
            return 0;
        }

        var writer = new StunMessageWriter(response, request.Type.ToErrorResponse(), request.TransactionId);
        writer.Add(new ErrorCode(StunErrorCode.UnknownAttribute));
        _metrics.Error(StunErrorCode.UnknownAttribute);
        UnknownAttributes.TryAdd(ref writer, unknown);
        return auth is { } authenticated ? Finish(ref writer, request, authenticated) : LimitAmplification(ref writer, request);
    }

    private static int LimitAmplification(ref StunMessageWriter writer, scoped in StunMessage request)
    {
        if (request.HasFingerprint)
        {
            writer.Add(new Fingerprint());
        }

        return writer.HasFailed || writer.BytesWritten > 4 * request.Raw.Length ? 0 : writer.BytesWritten;
    }

    /// <summary>An error response to an authenticated request, signed with the request's key.</summary>
    private int WriteError(scoped in StunMessage request, Span<byte> response, StunErrorCode code, in AuthResult auth)
    {
        var writer = new StunMessageWriter(response, request.Type.ToErrorResponse(), request.TransactionId);
        writer.Add(new ErrorCode(code));
        _metrics.Error(code);
        return Finish(ref writer, request, auth);
    }

    /// <summary>SOFTWARE (only if configured), integrity of the request's kind, FINGERPRINT if the request had one.</summary>
    private int Finish(ref StunMessageWriter writer, scoped in StunMessage request, in AuthResult auth)
    {
        if (_options.Software is { Length: > 0 } software)
        {
            writer.Add(new Software(software));
        }

        if (auth.Sha256Integrity)
        {
            writer.Add(new MessageIntegritySha256(auth.Key));
        }
        else
        {
            writer.Add(new MessageIntegrity(auth.Key));
        }

        if (request.HasFingerprint)
        {
            writer.Add(new Fingerprint());
        }

        return writer.HasFailed ? 0 : writer.BytesWritten;
    }
}
