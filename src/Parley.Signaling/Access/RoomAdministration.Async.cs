using Parley.Signaling.Rooms;

namespace Parley.Signaling.Access;

/// <summary>This server's rooms answer at once: each call of the admin API completes synchronously.</summary>
public sealed partial class RoomAdministration
{
    ValueTask<AdminResult<RoomSnapshot>> IRoomAdministration.CreateRoom(string name, int? emptyTimeoutSeconds, int? maxParticipants, string? metadata) =>
        new(CreateRoom(name, emptyTimeoutSeconds, maxParticipants, metadata));

    ValueTask<IReadOnlyList<RoomSnapshot>> IRoomAdministration.ListRooms(IReadOnlyCollection<string>? names) => new(ListRooms(names));

    ValueTask<AdminStatus> IRoomAdministration.DeleteRoom(string name) => new(DeleteRoom(name));

    ValueTask<AdminResult<IReadOnlyList<ParticipantSnapshot>>> IRoomAdministration.ListParticipants(string room) => new(ListParticipants(room));

    ValueTask<AdminResult<ParticipantSnapshot>> IRoomAdministration.GetParticipant(string room, string identity) => new(GetParticipant(room, identity));

    ValueTask<AdminStatus> IRoomAdministration.RemoveParticipant(string room, string identity, TimeSpan? ban) => new(RemoveParticipant(room, identity, ban));

    ValueTask<AdminResult<ParticipantSnapshot>> IRoomAdministration.MuteParticipant(string room, string identity, bool muted) =>
        new(MuteParticipant(room, identity, muted));

    ValueTask<AdminResult<ParticipantSnapshot>> IRoomAdministration.UpdateParticipant(string room, string identity, string? name, string? metadata,
        PermissionUpdate? permission) => new(UpdateParticipant(room, identity, name, metadata, permission));

    ValueTask<AdminResult<RoomSnapshot>> IRoomAdministration.UpdateRoomMetadata(string room, string metadata) => new(UpdateRoomMetadata(room, metadata));

    ValueTask<AdminStatus> IRoomAdministration.SendData(string room, ReadOnlyMemory<byte> payload, IReadOnlyCollection<string>? destinationIdentities, string? topic) =>
        new(SendData(room, payload, destinationIdentities, topic));
}
