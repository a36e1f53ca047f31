namespace Parley.Signaling.Rooms;

/// <summary>A participant as it was at one moment, for the admin API and webhooks (LiveKit's ParticipantInfo).</summary>
/// <param name="Sid">The participant id (<c>p_...</c>).</param>
/// <param name="Away">Its connection is lost and it may still resume.</param>
public sealed record ParticipantSnapshot(
    string Sid,
    string Identity,
    string Name,
    string Metadata,
    DateTimeOffset JoinedAt,
    ParticipantPermissions Permissions,
    bool Muted,
    bool ServerMuted,
    bool Away);

/// <summary>What a participant may do in its room.</summary>
public sealed record ParticipantPermissions(
    bool CanPublish,
    bool CanSubscribe,
    bool CanPublishData,
    bool Admin,
    bool Hidden,
    bool CanUpdateMetadata)
{
    /// <summary>Open mode: everyone may talk, listen and chat; nobody moderates.</summary>
    public static readonly ParticipantPermissions Open = new(true, true, true, false, false, false);
}
