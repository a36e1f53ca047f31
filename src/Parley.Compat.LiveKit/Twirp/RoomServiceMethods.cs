using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Parley.Access;
using Parley.Compat.LiveKit.LiveKitJson;
using Parley.Signaling.Rooms;

namespace Parley.Compat.LiveKit.Twirp;

/// <summary>
/// LiveKit's RoomService (livekit/protocol <c>livekit_room.proto</c>) on <see cref="IRoomAdministration"/>: each
/// method with the grant it needs (livekit/livekit <c>pkg/service/roomservice.go</c>): <c>roomCreate</c> for
/// CreateRoom and DeleteRoom, <c>roomList</c> for ListRooms, <c>roomAdmin</c> of the request's room for the rest.
/// </summary>
internal sealed class RoomServiceMethods(IRoomAdministration rooms)
{
    /// <summary>The methods served; any other is <c>bad_route</c>.</summary>
    public static readonly IReadOnlySet<string> Names = new HashSet<string>(StringComparer.Ordinal)
    {
        "CreateRoom", "ListRooms", "DeleteRoom", "ListParticipants", "GetParticipant", "RemoveParticipant",
        "MutePublishedTrack", "UpdateParticipant", "UpdateRoomMetadata", "SendData",
    };

    /// <summary>Runs one call: the JSON of its response, or the Twirp error that answers it.</summary>
    /// <exception cref="TwirpRequestException">A field of the request has the wrong type.</exception>
    public async ValueTask<(byte[]? Response, TwirpError? Error)> InvokeAsync(string method, TwirpRequest request, VideoGrant grant)
    {
        switch (method)
        {
            case "CreateRoom":
                return Need(grant.RoomCreate, "roomCreate") ?? await CreateRoomAsync(request).ConfigureAwait(false);
            case "DeleteRoom":
                return Need(grant.RoomCreate, "roomCreate") ?? await DeleteRoomAsync(request).ConfigureAwait(false);
            case "ListRooms":
                if (Need(grant.RoomList, "roomList") is { } denied)
                {
                    return denied;
                }

                var names = request.Strings("names");
                var found = await rooms.ListRooms(names.Count > 0 ? names : null).ConfigureAwait(false);
                return Ok(new LkListRoomsResponse { Rooms = found.Select(LiveKitMapper.Room).ToList() }, LiveKitJsonContext.Default.LkListRoomsResponse);
        }

        // Every other method acts on one room and needs roomAdmin for it.
        if (Required(request, "room", out var room) is { } missing)
        {
            return (null, missing);
        }

        if (!grant.IsAdminOf(room))
        {
            return (null, new TwirpError(TwirpError.PermissionDenied, $"The token needs roomAdmin for the room '{room}'."));
        }

        return method switch
        {
            "ListParticipants" => Result(await rooms.ListParticipants(room).ConfigureAwait(false), participants => Ok(
                new LkListParticipantsResponse { Participants = participants.Select(p => LiveKitMapper.Participant(p)).ToList() }, LiveKitJsonContext.Default.LkListParticipantsResponse)),
            "GetParticipant" => await WithIdentity(request, async identity => Result(await rooms.GetParticipant(room, identity).ConfigureAwait(false), Participant)).ConfigureAwait(false),
            "RemoveParticipant" => await WithIdentity(request, async identity => Status(await rooms.RemoveParticipant(room, identity, null).ConfigureAwait(false), null)).ConfigureAwait(false),
            "MutePublishedTrack" => await WithIdentity(request, identity => MuteTrackAsync(request, room, identity)).ConfigureAwait(false),
            "UpdateParticipant" => await WithIdentity(request, identity => UpdateParticipantAsync(request, room, identity)).ConfigureAwait(false),
            "UpdateRoomMetadata" => Result(await rooms.UpdateRoomMetadata(room, request.String("metadata")).ConfigureAwait(false), Room),
            "SendData" => await SendDataAsync(request, room).ConfigureAwait(false),
            _ => (null, new TwirpError(TwirpError.BadRoute, $"RoomService has no method {method}.")),
        };
    }

    private async ValueTask<(byte[]?, TwirpError?)> CreateRoomAsync(TwirpRequest request)
    {
        if (Required(request, "name", out var name) is { } missing)
        {
            return (null, missing);
        }

        // proto3 cannot tell 0 or "" from absent: both keep the room's (or the server's) value, as in LiveKit.
        var metadata = request.String("metadata");
        return Result(
            await rooms.CreateRoom(name, NonZero(request.UInt32("emptyTimeout")), NonZero(request.UInt32("maxParticipants")), metadata.Length > 0 ? metadata : null)
                .ConfigureAwait(false),
            Room);
    }

    private async ValueTask<(byte[]?, TwirpError?)> DeleteRoomAsync(TwirpRequest request) =>
        Required(request, "room", out var room) is { } missing ? (null, missing) : Status(await rooms.DeleteRoom(room).ConfigureAwait(false), null);

    /// <summary>The track sid must be the participant's microphone: the one track a Parley participant has.</summary>
    private async ValueTask<(byte[]?, TwirpError?)> MuteTrackAsync(TwirpRequest request, string room, string identity)
    {
        var current = await rooms.GetParticipant(room, identity).ConfigureAwait(false);
        if (current.Status != AdminStatus.Ok)
        {
            return Status(current.Status, current.Message);
        }

        var trackSid = request.String("trackSid");
        if (current.Value!.Permissions.CanPublish is false || trackSid != LiveKitMapper.TrackSid(current.Value.Sid))
        {
            return (null, new TwirpError(TwirpError.NotFound, $"The participant '{identity}' has no track '{trackSid}'."));
        }

        return Result(await rooms.MuteParticipant(room, identity, request.Bool("muted")).ConfigureAwait(false), participant =>
            Ok(new LkMuteRoomTrackResponse { Track = LiveKitMapper.Microphone(participant) }, LiveKitJsonContext.Default.LkMuteRoomTrackResponse));
    }

    private async ValueTask<(byte[]?, TwirpError?)> UpdateParticipantAsync(TwirpRequest request, string room, string identity)
    {
        // As LiveKit: an empty name or metadata changes nothing; a permission given replaces the whole permission,
        // a field it leaves out being false (proto3 writes no false).
        var name = request.String("name");
        var metadata = request.String("metadata");
        var permission = request.Message("permission") is { } given
            ? new PermissionUpdate(given.Bool("canPublish"), given.Bool("canSubscribe"), given.Bool("canPublishData"), given.Bool("hidden"), given.Bool("canUpdateMetadata"))
            : null;
        return Result(await rooms.UpdateParticipant(room, identity, name.Length > 0 ? name : null, metadata.Length > 0 ? metadata : null, permission)
            .ConfigureAwait(false), Participant);
    }

    private async ValueTask<(byte[]?, TwirpError?)> SendDataAsync(TwirpRequest request, string room)
    {
        var payload = request.Bytes("data");
        var identities = request.Strings("destinationIdentities");
        var topic = request.String("topic");
        return Status(await rooms.SendData(room, payload, identities.Count > 0 ? identities : null, topic.Length > 0 ? topic : null).ConfigureAwait(false), null);
    }

    private static ValueTask<(byte[]?, TwirpError?)> WithIdentity(TwirpRequest request, Func<string, ValueTask<(byte[]?, TwirpError?)>> then) =>
        Required(request, "identity", out var identity) is { } missing ? ValueTask.FromResult<(byte[]?, TwirpError?)>((null, missing)) : then(identity);

    private static TwirpError? Required(TwirpRequest request, string field, out string value)
    {
        value = request.String(field);
        return value.Length > 0 ? null : new TwirpError(TwirpError.InvalidArgument, $"{field} is required.");
    }

    private static (byte[]?, TwirpError?)? Need(bool granted, string grant) =>
        granted ? null : (null, new TwirpError(TwirpError.PermissionDenied, $"The token needs the {grant} grant."));

    private static int? NonZero(int? value) => value is > 0 ? value : null;

    private static (byte[]?, TwirpError?) Room(RoomSnapshot room) => Ok(LiveKitMapper.Room(room), LiveKitJsonContext.Default.LkRoom);

    private static (byte[]?, TwirpError?) Participant(ParticipantSnapshot participant) =>
        Ok(LiveKitMapper.Participant(participant), LiveKitJsonContext.Default.LkParticipantInfo);

    private static (byte[]?, TwirpError?) Ok<T>(T response, JsonTypeInfo<T> type) => (JsonSerializer.SerializeToUtf8Bytes(response, type), null);

    private static (byte[]?, TwirpError?) Result<T>(AdminResult<T> result, Func<T, (byte[]?, TwirpError?)> ok) =>
        result.Status == AdminStatus.Ok ? ok(result.Value!) : Status(result.Status, result.Message);

    private static (byte[]?, TwirpError?) Status(AdminStatus status, string? message) => status switch
    {
        AdminStatus.Ok => Ok(LkEmpty.Instance, LiveKitJsonContext.Default.LkEmpty),
        AdminStatus.RoomNotFound => (null, new TwirpError(TwirpError.NotFound, message ?? "No such room.")),
        AdminStatus.ParticipantNotFound => (null, new TwirpError(TwirpError.NotFound, message ?? "No such participant in the room.")),
        AdminStatus.InvalidArgument => (null, new TwirpError(TwirpError.InvalidArgument, message ?? "Invalid argument.")),
        AdminStatus.ResourceExhausted => (null, new TwirpError(TwirpError.ResourceExhausted, message ?? "The server cannot hold another room.")),
        AdminStatus.Unavailable => (null, new TwirpError(TwirpError.Unavailable, message ?? "The node serving the room did not answer; try again.")),
        _ => (null, new TwirpError(TwirpError.Internal, "Unexpected outcome.")),
    };
}
