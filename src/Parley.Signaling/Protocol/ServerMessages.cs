using System.Text.Json;
using System.Text.Json.Serialization;

namespace Parley.Signaling.Protocol;

// The messages the server sends (docs/protocol.md, "Server to client"). Type comes first so a reader
// can dispatch before it reads the rest.

public sealed record HelloMessage(int Protocol, string Server, ProtocolLimits Limits)
{
    [JsonPropertyOrder(-1)]
    public string Type { get; } = "hello";
}

public sealed record ProtocolLimits(
    int MaxMessageBytes,
    int MaxParticipantsPerRoom,
    int MessagesPerSecond,
    int MessageBurst,
    int MaxRoomNameLength,
    int MaxDisplayNameLength,
    int MaxChatLength,
    int ChatMessagesPerMinute,
    int HeartbeatSeconds,
    int HeartbeatTimeoutSeconds,
    int ResumeGraceSeconds);

/// <summary>
/// The answer to <c>join</c> and <c>resume</c>. <see cref="Resumed"/> says whether the server still held the
/// participant's place; <see cref="ResumeToken"/> is the secret to <c>resume</c> with. <see cref="Channel"/> is the
/// room's voice channel, present only in a positional room. <see cref="OfferTo"/> names the participant that was
/// given the offer the <c>join</c> carried, if one was.
/// </summary>
public sealed record JoinedMessage(
    int Protocol,
    string Room,
    string ResumeToken,
    bool Resumed,
    ParticipantInfo Self,
    IReadOnlyList<ParticipantInfo> Participants,
    IReadOnlyList<IceServer> IceServers,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool Locked = false,
    string? Metadata = null,
    VoiceChannel? Channel = null,
    string? OfferTo = null)
{
    [JsonPropertyOrder(-1)]
    public string Type { get; } = "joined";
}

/// <summary>
/// A participant as its room mates see it. <see cref="Identity"/> is the app's id for the user (token mode) or the
/// participant id (open mode); <see cref="ServerMuted"/> is present only while a moderator has muted it.
/// </summary>
public sealed record ParticipantInfo(
    string Id,
    string Name,
    bool Muted,
    bool Speaking,
    string? Identity = null,
    string? Metadata = null,
    PermissionsInfo? Permissions = null,
    bool? ServerMuted = null);

/// <summary>What a participant may do: every SDK plays audio only from those who may publish.</summary>
public sealed record PermissionsInfo(bool CanPublish, bool CanSubscribe, bool CanPublishData, bool Admin);

/// <summary>A participant's name, metadata, permissions or server mute changed (a moderator or the admin API).</summary>
public sealed record ParticipantUpdatedMessage(ParticipantInfo Participant)
{
    [JsonPropertyOrder(-1)]
    public string Type { get; } = "participant-updated";
}

/// <summary>The room was locked or unlocked, or its metadata changed.</summary>
public sealed record RoomUpdatedMessage(bool Locked, string? Metadata)
{
    [JsonPropertyOrder(-1)]
    public string Type { get; } = "room-updated";
}

/// <summary>Data from the app's backend (the admin API's SendData); <see cref="Payload"/> is base64.</summary>
public sealed record DataMessage(string Payload, string? Topic)
{
    [JsonPropertyOrder(-1)]
    public string Type { get; } = "data";
}

/// <summary>The browser's RTCIceServer.</summary>
public sealed record IceServer(IReadOnlyList<string> Urls, string? Username = null, string? Credential = null);

/// <summary>Someone entered the room; <see cref="Resumed"/> is true (and otherwise omitted) when it came back with <c>resume</c>.</summary>
public sealed record ParticipantJoinedMessage(ParticipantInfo Participant, bool? Resumed = null)
{
    [JsonPropertyOrder(-1)]
    public string Type { get; } = "participant-joined";
}

public sealed record ParticipantLeftMessage(string Id, string Reason)
{
    [JsonPropertyOrder(-1)]
    public string Type { get; } = "participant-left";

    public const string ReasonLeft = "left";
    public const string ReasonDisconnected = "disconnected";

    /// <summary>A moderator or the admin API removed it.</summary>
    public const string ReasonRemoved = "removed";

    /// <summary>The same identity joined again (token mode): the newer connection took its place.</summary>
    public const string ReasonReplaced = "replaced";

    /// <summary>The admin API deleted the room.</summary>
    public const string ReasonRoomDeleted = "room-deleted";
}

/// <summary>
/// A participant's socket dropped without a close frame: it keeps its place for the grace period, and each room
/// mate checks its peer connection to it and reports <c>peer-lost</c> if that is gone too.
/// </summary>
public sealed record ParticipantAwayMessage(string Id)
{
    [JsonPropertyOrder(-1)]
    public string Type { get; } = "participant-away";
}

public sealed record ParticipantStateMessage(string Id, bool Muted, bool Speaking)
{
    [JsonPropertyOrder(-1)]
    public string Type { get; } = "participant-state";
}

/// <summary>A relayed <c>offer</c> or <c>answer</c>, stamped with its sender.</summary>
public sealed record RelayedDescriptionMessage([property: JsonPropertyOrder(-1)] string Type, string From, string Sdp);

/// <summary>A relayed <c>candidate</c>, stamped with its sender; <c>null</c> means end of candidates.</summary>
public sealed record RelayedCandidateMessage(string From, [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] IceCandidate? Candidate)
{
    [JsonPropertyOrder(-1)]
    public string Type { get; } = "candidate";
}

/// <summary>A chat message, sent to everyone in the room including its author.</summary>
public sealed record ChatMessage(string From, string Name, string Text, DateTime Time)
{
    [JsonPropertyOrder(-1)]
    public string Type { get; } = "chat";
}

public sealed record PongMessage(JsonElement? Id)
{
    [JsonPropertyOrder(-1)]
    public string Type { get; } = "pong";
}

/// <summary>The server's heartbeat; the client answers <c>pong</c>.</summary>
public sealed record HeartbeatPingMessage
{
    public string Type { get; } = "ping";
}

/// <summary>The server is shutting down: reconnect (and resume) after <see cref="RetryAfterMs"/> plus jitter.</summary>
public sealed record GoAwayMessage(string Reason, int RetryAfterMs)
{
    [JsonPropertyOrder(-1)]
    public string Type { get; } = "goaway";

    public const string ReasonShutdown = "shutdown";
}

public sealed record ErrorMessage(string Code, string Message, string? Ref)
{
    [JsonPropertyOrder(-1)]
    public string Type { get; } = "error";
}
