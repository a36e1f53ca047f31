using Parley.Access;
using Parley.Signaling.Rooms;

namespace Parley.Signaling.Access;

/// <summary>Between a token's <c>video</c> grant and a participant's permissions in its room.</summary>
internal static class GrantPermissions
{
    /// <summary>
    /// What the grant allows in <paramref name="room"/>. A hidden participant is invisible, so it may neither publish
    /// nor chat (either would show it).
    /// </summary>
    public static ParticipantPermissions For(VideoGrant video, string room) => new(
        CanPublish: video.CanPublishAudio,
        CanSubscribe: video.CanSubscribeAudio,
        CanPublishData: video.CanPublishChat && !video.Hidden,
        Admin: video.IsAdminOf(room),
        Hidden: video.Hidden,
        CanUpdateMetadata: video.CanUpdateOwnMetadata);

    /// <summary>The grant a resume ticket carries: the participant's permissions as they are now.</summary>
    public static VideoGrant ToGrant(ParticipantPermissions permissions, string room) => new()
    {
        RoomJoin = true,
        Room = room,
        RoomAdmin = permissions.Admin,
        CanPublish = permissions.CanPublish,
        CanSubscribe = permissions.CanSubscribe,
        CanPublishData = permissions.CanPublishData,
        Hidden = permissions.Hidden,
        CanUpdateOwnMetadata = permissions.CanUpdateMetadata,
    };
}
