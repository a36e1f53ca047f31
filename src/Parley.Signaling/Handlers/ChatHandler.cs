using Parley.Signaling.Protocol;
using Parley.Signaling.Sessions;

namespace Parley.Signaling.Handlers;

/// <summary>
/// <c>chat</c>: a text message for the whole room, author included, stamped by the server with the
/// author's id, name and the time. Rate-limited more tightly than other messages.
/// </summary>
public sealed class ChatHandler(SignalingOptions options, TimeProvider time) : IMessageHandler
{
    public string Type => "chat";

    public ProtocolError? Handle(SignalingSession session, ReadOnlySpan<byte> utf8Json)
    {
        if (session.Room is not { } room || session.Participant is not { } author)
        {
            return NotJoined.Error;
        }

        if (!author.Permissions.CanPublishData)
        {
            return new ProtocolError(ErrorCode.Forbidden, "You may not send chat messages in this room.");
        }

        if (!ProtocolJson.TryDeserialize(utf8Json, SignalingJsonContext.Default.ChatRequest, out var request, out var error))
        {
            return error;
        }

        if (!ChatText.TryNormalize(request.Text, options.MaxChatLength, out var text, out error))
        {
            return error;
        }

        if (!session.ChatRateLimit.TryTake())
        {
            return new ProtocolError(ErrorCode.RateExceeded,
                $"Slow down: at most {options.ChatMessagesPerMinute} chat messages a minute (bursts of {options.ChatBurst}). The message was not sent.");
        }

        var message = new ChatMessage(author.Id, author.Name, text, time.GetUtcNow().UtcDateTime);
        room.TrySendToAll(author, ProtocolJson.Serialize(message, SignalingJsonContext.Default.ChatMessage));
        return null;
    }
}
