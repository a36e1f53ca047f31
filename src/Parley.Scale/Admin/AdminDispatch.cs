using Parley.Signaling.Access;
using Parley.Signaling.Rooms;

namespace Parley.Scale.Admin;

/// <summary>Runs an <see cref="AdminCall"/> on this node's own rooms: the one place that maps names to methods.</summary>
internal static class AdminDispatch
{
    public static AdminAnswer Run(RoomAdministration rooms, AdminCall call) => call.Method switch
    {
        nameof(IRoomAdministration.CreateRoom) => Answer(rooms.CreateRoom(call.Room ?? "", call.EmptyTimeoutSeconds, call.MaxParticipants, call.Metadata), room => new(AdminStatus.Ok, Room: room)),
        nameof(IRoomAdministration.ListRooms) => new(AdminStatus.Ok, Rooms: rooms.ListRooms(call.Names is { Count: > 0 } names ? [.. names] : null)),
        nameof(IRoomAdministration.DeleteRoom) => Status(rooms.DeleteRoom(call.Room ?? "")),
        nameof(IRoomAdministration.ListParticipants) => Answer(rooms.ListParticipants(call.Room ?? ""), list => new(AdminStatus.Ok, Participants: list)),
        nameof(IRoomAdministration.GetParticipant) => Answer(rooms.GetParticipant(call.Room ?? "", call.Identity ?? ""), Participant),
        nameof(IRoomAdministration.RemoveParticipant) => Status(rooms.RemoveParticipant(call.Room ?? "", call.Identity ?? "",
            call.BanSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null)),
        nameof(IRoomAdministration.MuteParticipant) => Answer(rooms.MuteParticipant(call.Room ?? "", call.Identity ?? "", call.Muted ?? true), Participant),
        nameof(IRoomAdministration.UpdateParticipant) => Answer(rooms.UpdateParticipant(call.Room ?? "", call.Identity ?? "", call.Name, call.Metadata, call.Permission), Participant),
        nameof(IRoomAdministration.UpdateRoomMetadata) => Answer(rooms.UpdateRoomMetadata(call.Room ?? "", call.Metadata ?? ""), room => new(AdminStatus.Ok, Room: room)),
        nameof(IRoomAdministration.SendData) => Status(rooms.SendData(call.Room ?? "", call.Payload ?? [], call.DestinationIdentities is { Count: > 0 } to ? [.. to] : null, call.Topic)),
        _ => new(AdminStatus.InvalidArgument, $"No admin method {call.Method}."),
    };

    /// <summary>Back from an answer to what the method returns.</summary>
    public static AdminResult<T> Result<T>(AdminAnswer answer, T? value) =>
        answer.Status == AdminStatus.Ok && value is not null ? AdminResult.Ok(value) : new(answer.Status == AdminStatus.Ok ? AdminStatus.InvalidArgument : answer.Status, default, answer.Message);

    private static AdminAnswer Participant(ParticipantSnapshot participant) => new(AdminStatus.Ok, Participant: participant);

    private static AdminAnswer Status(AdminStatus status) => new(status);

    private static AdminAnswer Answer<T>(AdminResult<T> result, Func<T, AdminAnswer> ok) =>
        result.Status == AdminStatus.Ok && result.Value is { } value ? ok(value) : new(result.Status, result.Message);
}
