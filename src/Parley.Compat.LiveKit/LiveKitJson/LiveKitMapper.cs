using Parley.Signaling.Rooms;

namespace Parley.Compat.LiveKit.LiveKitJson;

/// <summary>
/// Parley's room and participant snapshots as LiveKit's messages: the one mapping that webhooks and the admin API
/// share (docs/access-design.md, "LiveKit JSON mapping").
/// </summary>
internal static class LiveKitMapper
{
    private const string ParticipantIdPrefix = "p_";
    private const string TrackSidPrefix = "TR_";

    public static LkRoom Room(RoomSnapshot room) => new()
    {
        Sid = room.Sid,
        Name = room.Name,
        EmptyTimeout = room.EmptyTimeoutSeconds,
        MaxParticipants = room.MaxParticipants,
        CreationTime = room.CreationTime.ToUnixTimeSeconds(),
        CreationTimeMs = room.CreationTime.ToUnixTimeMilliseconds(),
        Metadata = room.Metadata,
        NumParticipants = room.NumParticipants,
    };

    /// <param name="leftReason">
    /// The <c>participant-left</c> reason when the participant has left (its state is then DISCONNECTED and the reason
    /// is given as LiveKit's); null while it is in the room.
    /// </param>
    public static LkParticipantInfo Participant(ParticipantSnapshot participant, string? leftReason = null)
    {
        var permissions = participant.Permissions;
        return new()
        {
            Sid = participant.Sid,
            Identity = participant.Identity,
            State = participant.Away || leftReason is not null ? LkParticipantInfo.Disconnected : LkParticipantInfo.Active,
            // A participant that may not publish has no microphone track, as a LiveKit participant without
            // canPublish has no published track.
            Tracks = permissions.CanPublish ? [Microphone(participant)] : [],
            Metadata = participant.Metadata,
            JoinedAt = participant.JoinedAt.ToUnixTimeSeconds(),
            JoinedAtMs = participant.JoinedAt.ToUnixTimeMilliseconds(),
            Name = participant.Name,
            Permission = new()
            {
                CanSubscribe = permissions.CanSubscribe,
                CanPublish = permissions.CanPublish,
                CanPublishData = permissions.CanPublishData,
                Hidden = permissions.Hidden,
                CanUpdateMetadata = permissions.CanUpdateMetadata,
            },
            IsPublisher = permissions.CanPublish,
            DisconnectReason = leftReason is null ? null : DisconnectReason(leftReason),
        };
    }

    /// <summary>The participant's microphone: muted by itself or by a moderator.</summary>
    public static LkTrackInfo Microphone(ParticipantSnapshot participant) => new()
    {
        Sid = TrackSid(participant.Sid),
        Muted = participant.Muted || participant.ServerMuted,
    };

    /// <summary>"TR_" and the participant id without its "p_": stable for the participant's life.</summary>
    public static string TrackSid(string participantSid) =>
        TrackSidPrefix + (participantSid.StartsWith(ParticipantIdPrefix, StringComparison.Ordinal) ? participantSid[ParticipantIdPrefix.Length..] : participantSid);

    /// <summary>A <c>participant-left</c> reason as the nearest name of LiveKit's <c>DisconnectReason</c> enum.</summary>
    public static string DisconnectReason(string leftReason) => leftReason switch
    {
        "left" => "CLIENT_INITIATED",
        "disconnected" => "SIGNAL_CLOSE",
        "removed" => "PARTICIPANT_REMOVED",
        "replaced" => "DUPLICATE_IDENTITY",
        "room-deleted" => "ROOM_DELETED",
        "shutdown" => "SERVER_SHUTDOWN",
        _ => "UNKNOWN_REASON",
    };
}
