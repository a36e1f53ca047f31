namespace Parley.Signaling.Rooms;

/// <summary>A room as it was at one moment, for the admin API and webhooks (LiveKit's Room).</summary>
/// <param name="Sid">"RM_" and 12 characters, stable for the room's life.</param>
/// <param name="EmptyTimeoutSeconds">How long a room created by the admin API stays open empty.</param>
public sealed record RoomSnapshot(
    string Sid,
    string Name,
    int NumParticipants,
    DateTimeOffset CreationTime,
    string Metadata,
    int MaxParticipants,
    int EmptyTimeoutSeconds,
    bool Locked);
