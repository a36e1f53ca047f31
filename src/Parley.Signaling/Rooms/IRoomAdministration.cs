namespace Parley.Signaling.Rooms;

/// <summary>
/// What an app's backend may do to rooms (LiveKit's RoomService, served over Twirp by Parley.Compat.LiveKit).
/// Room names compare case-insensitively; participants are named by identity. Asynchronous because with several
/// nodes a call runs at the node serving the room: nothing holds a thread while it answers.
/// </summary>
public interface IRoomAdministration
{
    /// <summary>Opens a room (or returns the existing one, unchanged but for what is given). Fails with server-full.</summary>
    ValueTask<AdminResult<RoomSnapshot>> CreateRoom(string name, int? emptyTimeoutSeconds, int? maxParticipants, string? metadata);

    /// <summary>Every room, or those named.</summary>
    ValueTask<IReadOnlyList<RoomSnapshot>> ListRooms(IReadOnlyCollection<string>? names);

    /// <summary>Closes a room: every participant gets <c>room-deleted</c> and is disconnected.</summary>
    ValueTask<AdminStatus> DeleteRoom(string name);

    ValueTask<AdminResult<IReadOnlyList<ParticipantSnapshot>>> ListParticipants(string room);

    ValueTask<AdminResult<ParticipantSnapshot>> GetParticipant(string room, string identity);

    /// <summary>As a moderator's <c>remove-participant</c>; <paramref name="ban"/> keeps the identity out that long.</summary>
    ValueTask<AdminStatus> RemoveParticipant(string room, string identity, TimeSpan? ban);

    /// <summary>Server mute (<paramref name="muted"/> true) or lifting it, as a moderator's <c>mute-participant</c>.</summary>
    ValueTask<AdminResult<ParticipantSnapshot>> MuteParticipant(string room, string identity, bool muted);

    /// <summary>Changes what is given; everyone hears <c>participant-updated</c>.</summary>
    ValueTask<AdminResult<ParticipantSnapshot>> UpdateParticipant(string room, string identity, string? name, string? metadata, PermissionUpdate? permission);

    ValueTask<AdminResult<RoomSnapshot>> UpdateRoomMetadata(string room, string metadata);

    /// <summary>Sends <c>data</c> to everyone in the room, or to the identities given.</summary>
    ValueTask<AdminStatus> SendData(string room, ReadOnlyMemory<byte> payload, IReadOnlyCollection<string>? destinationIdentities, string? topic);
}

/// <summary>A new set of permissions from the admin API; a null field keeps the current value.</summary>
public sealed record PermissionUpdate(bool? CanPublish, bool? CanSubscribe, bool? CanPublishData, bool? Hidden, bool? CanUpdateMetadata);

public enum AdminStatus
{
    Ok,
    RoomNotFound,
    ParticipantNotFound,
    InvalidArgument,

    /// <summary>The server cannot hold another room.</summary>
    ResourceExhausted,

    /// <summary>Several nodes: the node that serves the room could not be reached in time; nothing is known to have changed.</summary>
    Unavailable,
}

/// <summary>An admin operation's outcome: <see cref="Value"/> is set when <see cref="Status"/> is Ok.</summary>
public readonly record struct AdminResult<T>(AdminStatus Status, T? Value, string? Message = null);

public static class AdminResult
{
    public static AdminResult<T> Ok<T>(T value) => new(AdminStatus.Ok, value);

    public static AdminResult<T> Fail<T>(AdminStatus status, string message) => new(status, default, message);
}
