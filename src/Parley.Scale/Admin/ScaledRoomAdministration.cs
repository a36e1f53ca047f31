using Parley.Scale.Store;
using Parley.Signaling.Access;
using Parley.Signaling.Rooms;
using StackExchange.Redis;

namespace Parley.Scale.Admin;

/// <summary>
/// The admin API (LiveKit's RoomService) with several nodes: any node answers for every room. A call about one room
/// runs at the node that serves it (<see cref="AdminCalls"/>); <c>ListRooms</c> asks every live node; <c>CreateRoom</c>
/// takes the room for this node when nobody serves it, as a join would. Without Redis, each node answers for its own
/// rooms. A serving node that does not answer in time makes the call <see cref="AdminStatus.Unavailable"/>. Nothing
/// here holds a thread while Redis or another node answers.
/// </summary>
internal sealed class ScaledRoomAdministration(RoomAdministration local, RedisLink link, RoomPlacement placement, AdminCalls calls) : IRoomAdministration
{
    public ValueTask<AdminResult<RoomSnapshot>> CreateRoom(string name, int? emptyTimeoutSeconds, int? maxParticipants, string? metadata) =>
        At(name, take: true, new AdminCall(nameof(CreateRoom), name, EmptyTimeoutSeconds: emptyTimeoutSeconds, MaxParticipants: maxParticipants, Metadata: metadata),
            rooms => rooms.CreateRoom(name, emptyTimeoutSeconds, maxParticipants, metadata), answer => answer.Room);

    public async ValueTask<IReadOnlyList<RoomSnapshot>> ListRooms(IReadOnlyCollection<string>? names)
    {
        var found = new Dictionary<string, RoomSnapshot>(StringComparer.Ordinal);
        foreach (var room in local.ListRooms(names))
        {
            found[room.Sid] = room;
        }

        try
        {
            var others = (await placement.LiveNodesAsync().ConfigureAwait(false)).Where(node => node != link.NodeId).ToList();
            foreach (var answer in await calls.InvokeAllAsync(others, new AdminCall(nameof(ListRooms), Names: names?.ToList())).ConfigureAwait(false))
            {
                foreach (var room in answer.Rooms ?? [])
                {
                    found.TryAdd(room.Sid, room);
                }
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            link.MarkUnreachable(ex.Message); // the rooms this node serves are what it can tell
        }

        return [.. found.Values.OrderBy(room => room.CreationTime)];
    }

    public ValueTask<AdminStatus> DeleteRoom(string name) =>
        At(name, take: false, new AdminCall(nameof(DeleteRoom), name), rooms => rooms.DeleteRoom(name));

    public ValueTask<AdminResult<IReadOnlyList<ParticipantSnapshot>>> ListParticipants(string room) =>
        At(room, take: false, new AdminCall(nameof(ListParticipants), room), rooms => rooms.ListParticipants(room), answer => answer.Participants);

    public ValueTask<AdminResult<ParticipantSnapshot>> GetParticipant(string room, string identity) =>
        At(room, take: false, new AdminCall(nameof(GetParticipant), room, identity), rooms => rooms.GetParticipant(room, identity), answer => answer.Participant);

    public ValueTask<AdminStatus> RemoveParticipant(string room, string identity, TimeSpan? ban) =>
        At(room, take: false, new AdminCall(nameof(RemoveParticipant), room, identity, BanSeconds: ban?.TotalSeconds),
            rooms => rooms.RemoveParticipant(room, identity, ban));

    public ValueTask<AdminResult<ParticipantSnapshot>> MuteParticipant(string room, string identity, bool muted) =>
        At(room, take: false, new AdminCall(nameof(MuteParticipant), room, identity, Muted: muted),
            rooms => rooms.MuteParticipant(room, identity, muted), answer => answer.Participant);

    public ValueTask<AdminResult<ParticipantSnapshot>> UpdateParticipant(string room, string identity, string? name, string? metadata, PermissionUpdate? permission) =>
        At(room, take: false, new AdminCall(nameof(UpdateParticipant), room, identity, Metadata: metadata, Name: name, Permission: permission),
            rooms => rooms.UpdateParticipant(room, identity, name, metadata, permission), answer => answer.Participant);

    public ValueTask<AdminResult<RoomSnapshot>> UpdateRoomMetadata(string room, string metadata) =>
        At(room, take: false, new AdminCall(nameof(UpdateRoomMetadata), room, Metadata: metadata),
            rooms => rooms.UpdateRoomMetadata(room, metadata), answer => answer.Room);

    public ValueTask<AdminStatus> SendData(string room, ReadOnlyMemory<byte> payload, IReadOnlyCollection<string>? destinationIdentities, string? topic) =>
        At(room, take: false, new AdminCall(nameof(SendData), room, Payload: payload.ToArray(), DestinationIdentities: destinationIdentities?.ToList(), Topic: topic),
            rooms => rooms.SendData(room, payload, destinationIdentities, topic));

    private async ValueTask<AdminResult<T>> At<T>(string room, bool take, AdminCall call, Func<RoomAdministration, AdminResult<T>> here, Func<AdminAnswer, T?> value)
    {
        if (await OwnerAsync(room, take).ConfigureAwait(false) is not { } owner)
        {
            return here(local);
        }

        return await calls.InvokeAsync(owner, call).ConfigureAwait(false) is { } answer
            ? AdminDispatch.Result(answer, value(answer))
            : new AdminResult<T>(AdminStatus.Unavailable, default, $"The node serving the room '{room}' did not answer in time; try again.");
    }

    private async ValueTask<AdminStatus> At(string room, bool take, AdminCall call, Func<RoomAdministration, AdminStatus> here)
    {
        if (await OwnerAsync(room, take).ConfigureAwait(false) is not { } owner)
        {
            return here(local);
        }

        return (await calls.InvokeAsync(owner, call).ConfigureAwait(false))?.Status ?? AdminStatus.Unavailable;
    }

    /// <summary>
    /// Another node that serves <paramref name="room"/>, or null to act here: this node serves it, nobody does
    /// (<paramref name="take"/>: then this node takes it), or Redis cannot say (this node's own rooms are what it knows).
    /// </summary>
    private async Task<string?> OwnerAsync(string room, bool take)
    {
        try
        {
            var owner = take ? await placement.LocateAsync(room).ConfigureAwait(false) : await placement.OwnerAsync(room).ConfigureAwait(false);
            return owner is null || owner == link.NodeId ? null : owner;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            link.MarkUnreachable(ex.Message);
            return null;
        }
    }
}
