namespace Parley.Compat.LiveKit.LiveKitJson;

/// <summary>RoomService's <c>ListRoomsResponse</c> (livekit/protocol <c>livekit_room.proto</c>).</summary>
internal sealed class LkListRoomsResponse
{
    public required IReadOnlyList<LkRoom> Rooms { get; init; }
}

/// <summary>RoomService's <c>ListParticipantsResponse</c>.</summary>
internal sealed class LkListParticipantsResponse
{
    public required IReadOnlyList<LkParticipantInfo> Participants { get; init; }
}

/// <summary>RoomService's <c>MuteRoomTrackResponse</c>: the track as it now is.</summary>
internal sealed class LkMuteRoomTrackResponse
{
    public required LkTrackInfo Track { get; init; }
}

/// <summary>The empty responses (<c>DeleteRoomResponse</c>, <c>RemoveParticipantResponse</c>, <c>SendDataResponse</c>).</summary>
internal sealed class LkEmpty
{
    public static readonly LkEmpty Instance = new();
}
