using Microsoft.Extensions.Options;
using Parley.Signaling.Protocol;
using Parley.Signaling.Rooms;

namespace Parley.Signaling.Access;

/// <summary>The admin API's operations (LiveKit's RoomService) on this server's rooms: see <see cref="IRoomAdministration"/>.</summary>
public sealed partial class RoomAdministration(RoomRegistry rooms, Moderation moderation, IOptions<SignalingOptions> options) : IRoomAdministration
{
    /// <summary>How long a room created by the admin API stays open empty when no timeout is given: LiveKit's 5 minutes.</summary>
    public const int DefaultEmptyTimeoutSeconds = 300;

    /// <summary>The longest empty timeout accepted: a week.</summary>
    public const int MaxEmptyTimeoutSeconds = 7 * 86_400;

    /// <summary>The longest data topic accepted.</summary>
    public const int MaxTopicLength = 256;

    private readonly SignalingOptions options = options.Value;

    public AdminResult<RoomSnapshot> CreateRoom(string name, int? emptyTimeoutSeconds, int? maxParticipants, string? metadata)
    {
        if (!NameRules.TryNormalizeRoomName(name, options.MaxRoomNameLength, out var roomName, out var error))
        {
            return AdminResult.Fail<RoomSnapshot>(AdminStatus.InvalidArgument, error.Message);
        }

        var emptyTimeout = emptyTimeoutSeconds is null or 0 ? DefaultEmptyTimeoutSeconds : emptyTimeoutSeconds.Value;
        if (emptyTimeout is < 0 or > MaxEmptyTimeoutSeconds)
        {
            return AdminResult.Fail<RoomSnapshot>(AdminStatus.InvalidArgument, $"emptyTimeout must be between 0 and {MaxEmptyTimeoutSeconds} seconds.");
        }

        var capacity = maxParticipants is null or 0 ? options.MaxParticipantsPerRoom : maxParticipants.Value;
        if (capacity < 1 || capacity > options.MaxParticipantsPerRoom)
        {
            return AdminResult.Fail<RoomSnapshot>(AdminStatus.InvalidArgument,
                $"maxParticipants must be between 1 and {options.MaxParticipantsPerRoom} (Signaling:MaxParticipantsPerRoom).");
        }

        if (metadata?.Length > Admission.MaxMetadataLength)
        {
            return AdminResult.Fail<RoomSnapshot>(AdminStatus.InvalidArgument, $"metadata is longer than {Admission.MaxMetadataLength} characters.");
        }

        return rooms.TryCreate(roomName, emptyTimeout, capacity, metadata, out var room, out error)
            ? AdminResult.Ok(room.ToSnapshot())
            : AdminResult.Fail<RoomSnapshot>(AdminStatus.ResourceExhausted, error.Message);
    }

    public IReadOnlyList<RoomSnapshot> ListRooms(IReadOnlyCollection<string>? names) =>
        [.. rooms.All()
            .Where(room => names is not { Count: > 0 } || names.Contains(room.Name, StringComparer.OrdinalIgnoreCase))
            .Select(room => room.ToSnapshot())];

    public AdminStatus DeleteRoom(string name)
    {
        if (rooms.Delete(name) is not { } removed)
        {
            return AdminStatus.RoomNotFound;
        }

        moderation.EndAll(removed);
        return AdminStatus.Ok;
    }

    public AdminResult<IReadOnlyList<ParticipantSnapshot>> ListParticipants(string room) =>
        rooms.Find(room) is { } found
            ? AdminResult.Ok(found.Participants())
            : AdminResult.Fail<IReadOnlyList<ParticipantSnapshot>>(AdminStatus.RoomNotFound, RoomNotFound(room));

    public AdminResult<ParticipantSnapshot> GetParticipant(string room, string identity)
    {
        if (rooms.Find(room) is not { } found)
        {
            return AdminResult.Fail<ParticipantSnapshot>(AdminStatus.RoomNotFound, RoomNotFound(room));
        }

        return found.Find(ParticipantKey.Identity(identity)) is { } participant
            ? AdminResult.Ok(participant.ToSnapshot())
            : AdminResult.Fail<ParticipantSnapshot>(AdminStatus.ParticipantNotFound, ParticipantNotFound(identity));
    }

    public AdminStatus RemoveParticipant(string room, string identity, TimeSpan? ban)
    {
        if (rooms.Find(room) is not { } found)
        {
            return AdminStatus.RoomNotFound;
        }

        return moderation.Remove(found, actor: null, ParticipantKey.Identity(identity), ban ?? TimeSpan.Zero) is null
            ? AdminStatus.Ok
            : AdminStatus.ParticipantNotFound;
    }

    public AdminResult<ParticipantSnapshot> MuteParticipant(string room, string identity, bool muted)
    {
        if (rooms.Find(room) is not { } found)
        {
            return AdminResult.Fail<ParticipantSnapshot>(AdminStatus.RoomNotFound, RoomNotFound(room));
        }

        return found.TryServerMute(actor: null, ParticipantKey.Identity(identity), muted, out var result) is null
            ? AdminResult.Ok(result!)
            : AdminResult.Fail<ParticipantSnapshot>(AdminStatus.ParticipantNotFound, ParticipantNotFound(identity));
    }

    public AdminResult<ParticipantSnapshot> UpdateParticipant(string room, string identity, string? name, string? metadata, PermissionUpdate? permission)
    {
        if (rooms.Find(room) is not { } found)
        {
            return AdminResult.Fail<ParticipantSnapshot>(AdminStatus.RoomNotFound, RoomNotFound(room));
        }

        string? displayName = null;
        if (!string.IsNullOrEmpty(name) && !NameRules.TryNormalizeDisplayName(name, options.MaxDisplayNameLength, out displayName, out var error))
        {
            return AdminResult.Fail<ParticipantSnapshot>(AdminStatus.InvalidArgument, error.Message);
        }

        if (metadata?.Length > Admission.MaxMetadataLength)
        {
            return AdminResult.Fail<ParticipantSnapshot>(AdminStatus.InvalidArgument, $"metadata is longer than {Admission.MaxMetadataLength} characters.");
        }

        return found.TryUpdate(ParticipantKey.Identity(identity), displayName, metadata, permission, out var result) is null
            ? AdminResult.Ok(result!)
            : AdminResult.Fail<ParticipantSnapshot>(AdminStatus.ParticipantNotFound, ParticipantNotFound(identity));
    }

    public AdminResult<RoomSnapshot> UpdateRoomMetadata(string room, string metadata)
    {
        if (rooms.Find(room) is not { } found)
        {
            return AdminResult.Fail<RoomSnapshot>(AdminStatus.RoomNotFound, RoomNotFound(room));
        }

        return metadata.Length > Admission.MaxMetadataLength
            ? AdminResult.Fail<RoomSnapshot>(AdminStatus.InvalidArgument, $"metadata is longer than {Admission.MaxMetadataLength} characters.")
            : AdminResult.Ok(found.SetMetadata(metadata));
    }

    public AdminStatus SendData(string room, ReadOnlyMemory<byte> payload, IReadOnlyCollection<string>? destinationIdentities, string? topic)
    {
        if (rooms.Find(room) is not { } found)
        {
            return AdminStatus.RoomNotFound;
        }

        // Base64 grows by a third: what a client receives stays within the message size it was told (hello.limits).
        if ((payload.Length * 4 / 3) + 256 > options.MaxMessageBytes || topic?.Length > MaxTopicLength)
        {
            return AdminStatus.InvalidArgument;
        }

        var message = new DataMessage(Convert.ToBase64String(payload.Span), string.IsNullOrEmpty(topic) ? null : topic);
        found.SendData(ProtocolJson.Serialize(message, SignalingJsonContext.Default.DataMessage), destinationIdentities);
        return AdminStatus.Ok;
    }

    private static string RoomNotFound(string room) => $"No room '{(room.Length <= 64 ? room : room[..64])}'.";

    private static string ParticipantNotFound(string identity) => $"No participant '{(identity.Length <= 64 ? identity : identity[..64])}' in that room.";
}
