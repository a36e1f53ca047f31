using Parley.Signaling.Access;
using Parley.Signaling.Protocol;
using Parley.Signaling.Rooms;
using Parley.Signaling.Sessions;

namespace Parley.Signaling.Handlers;

/// <summary><c>mute-participant</c>: a moderator server-mutes another participant, or lifts it (docs/access.md).</summary>
public sealed class MuteParticipantHandler : IMessageHandler
{
    public string Type => "mute-participant";

    public ProtocolError? Handle(SignalingSession session, ReadOnlySpan<byte> utf8Json)
    {
        if (session.Room is not { } room || session.Participant is not { } actor)
        {
            return NotJoined.Error;
        }

        if (!ProtocolJson.TryDeserialize(utf8Json, SignalingJsonContext.Default.MuteParticipantRequest, out var request, out var error))
        {
            return error;
        }

        if (request.Id is not { } id || request.Muted is not { } muted)
        {
            return ProtocolError.Invalid("mute-participant needs 'id' and 'muted'.");
        }

        return room.TryServerMute(actor, ParticipantKey.Id(id), muted, out _);
    }
}

/// <summary><c>mute-all</c>: a moderator server-mutes everyone who is not a moderator.</summary>
public sealed class MuteAllHandler : IMessageHandler
{
    public string Type => "mute-all";

    public ProtocolError? Handle(SignalingSession session, ReadOnlySpan<byte> utf8Json) =>
        session.Room is { } room && session.Participant is { } actor ? room.TryMuteAll(actor) : NotJoined.Error;
}

/// <summary><c>remove-participant</c>: a moderator removes another participant, optionally banning it for a while.</summary>
public sealed class RemoveParticipantHandler(Moderation moderation) : IMessageHandler
{
    public string Type => "remove-participant";

    public ProtocolError? Handle(SignalingSession session, ReadOnlySpan<byte> utf8Json)
    {
        if (session.Room is not { } room || session.Participant is not { } actor)
        {
            return NotJoined.Error;
        }

        if (!ProtocolJson.TryDeserialize(utf8Json, SignalingJsonContext.Default.RemoveParticipantRequest, out var request, out var error))
        {
            return error;
        }

        if (request.Id is not { } id)
        {
            return ProtocolError.Invalid("remove-participant needs 'id'.");
        }

        if (request.BanSeconds is < 0 or > Moderation.MaxModeratorBanSeconds)
        {
            return ProtocolError.Invalid($"banSeconds must be between 0 and {Moderation.MaxModeratorBanSeconds}.");
        }

        return moderation.Remove(room, actor, ParticipantKey.Id(id), TimeSpan.FromSeconds(request.BanSeconds ?? 0));
    }
}

/// <summary><c>lock-room</c>: a moderator refuses new joins, or allows them again.</summary>
public sealed class LockRoomHandler : IMessageHandler
{
    public string Type => "lock-room";

    public ProtocolError? Handle(SignalingSession session, ReadOnlySpan<byte> utf8Json)
    {
        if (session.Room is not { } room || session.Participant is not { } actor)
        {
            return NotJoined.Error;
        }

        if (!ProtocolJson.TryDeserialize(utf8Json, SignalingJsonContext.Default.LockRoomRequest, out var request, out var error))
        {
            return error;
        }

        return request.Locked is { } locking ? room.TryLock(actor, locking) : ProtocolError.Invalid("lock-room needs 'locked'.");
    }
}
