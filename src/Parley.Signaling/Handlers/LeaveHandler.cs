using Parley.Signaling.Protocol;
using Parley.Signaling.Sessions;

namespace Parley.Signaling.Handlers;

/// <summary><c>leave</c>: leaves the room; the socket stays open for another join.</summary>
public sealed class LeaveHandler : IMessageHandler
{
    public string Type => "leave";

    public ProtocolError? Handle(SignalingSession session, ReadOnlySpan<byte> utf8Json)
    {
        if (session.Room is null)
        {
            return NotJoined.Error;
        }

        if (!ProtocolJson.IsOneObject(utf8Json, out var malformed))
        {
            return malformed;
        }

        session.LeaveRoom(ParticipantLeftMessage.ReasonLeft);
        return null;
    }
}

internal static class NotJoined
{
    public static readonly ProtocolError Error = new(ErrorCode.NotJoined, "Join a room first.");
}
