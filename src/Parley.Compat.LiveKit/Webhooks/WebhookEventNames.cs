namespace Parley.Compat.LiveKit.Webhooks;

/// <summary>
/// The <c>event</c> of each webhook. The first four are LiveKit's; <c>participant_muted</c> (a moderator or the admin
/// API server-muted someone) and <c>participant_removed</c> (removed, before its <c>participant_left</c>) are Parley's.
/// </summary>
internal static class WebhookEventNames
{
    public const string RoomStarted = "room_started";
    public const string RoomFinished = "room_finished";
    public const string ParticipantJoined = "participant_joined";
    public const string ParticipantLeft = "participant_left";
    public const string ParticipantMuted = "participant_muted";
    public const string ParticipantRemoved = "participant_removed";
}
