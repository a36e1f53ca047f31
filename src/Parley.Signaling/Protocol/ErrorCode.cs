namespace Parley.Signaling.Protocol;

/// <summary>
/// The stable codes of <c>error</c> messages. Clients switch on these strings, so they never change;
/// docs/protocol.md lists when each is sent.
/// </summary>
public static class ErrorCode
{
    public const string MalformedJson = "malformed-json";
    public const string UnknownType = "unknown-type";
    public const string UnsupportedFrame = "unsupported-frame";
    public const string TooLarge = "too-large";
    public const string InvalidMessage = "invalid-message";
    public const string UnsupportedProtocol = "unsupported-protocol";
    public const string InvalidRoom = "invalid-room";
    public const string InvalidName = "invalid-name";
    public const string RoomFull = "room-full";
    public const string ServerFull = "server-full";
    public const string NotJoined = "not-joined";
    public const string AlreadyJoined = "already-joined";
    public const string UnknownParticipant = "unknown-participant";
    public const string RateExceeded = "rate-exceeded";
    public const string JoinTimeout = "join-timeout";
    public const string TooManyErrors = "too-many-errors";
    public const string ServerBusy = "server-busy";
    public const string SlowConsumer = "slow-consumer";
    public const string InvalidToken = "invalid-token";
    public const string SessionReplaced = "session-replaced";
    public const string HeartbeatTimeout = "heartbeat-timeout";

    /// <summary>A requested room channel (<c>join.channel</c>, or a token's <c>parley.channel</c>) is out of bounds.</summary>
    public const string InvalidChannel = "invalid-channel";

    // Access (docs/access.md). The token-* codes are Parley.Access.AccessRefusal's, passed through.

    /// <summary>The token admits to no room (no roomJoin grant, or no room named).</summary>
    public const string TokenNoGrant = "token-no-grant";

    /// <summary><c>join.room</c> is not the room the token names.</summary>
    public const string TokenWrongRoom = "token-wrong-room";

    /// <summary>This token, participant or identity was removed from the room and is kept out.</summary>
    public const string Banned = "banned";

    public const string RoomLocked = "room-locked";

    /// <summary>The participant's permissions do not allow this message.</summary>
    public const string Forbidden = "forbidden";

    /// <summary>A moderator or the admin API removed this participant; the connection closes.</summary>
    public const string Removed = "removed";

    /// <summary>The same identity joined the room on another connection; this one closes.</summary>
    public const string DuplicateIdentity = "duplicate-identity";

    /// <summary>The admin API deleted the room; the connection closes.</summary>
    public const string RoomDeleted = "room-deleted";

    /// <summary>HTTP signaling: no session has this id (it ended, expired, or belongs to another address).</summary>
    public const string UnknownSession = "unknown-session";

    /// <summary>HTTP signaling: this address holds <c>Signaling:Http:MaxSessionsPerAddress</c> sessions already.</summary>
    public const string TooManySessions = "too-many-sessions";

    /// <summary>HTTP signaling: a POST's sequence number is too far ahead of the ones applied; send the missing ones first.</summary>
    public const string OutOfOrder = "out-of-order";

    /// <summary>
    /// Several nodes: what was asked cannot be decided now (the shared store is unreachable, or the room's node is
    /// changing); nothing changed, try again shortly. The SDK retries it.
    /// </summary>
    public const string Unavailable = "unavailable";
}
