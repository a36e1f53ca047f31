using System.Text.Json;
using Parley.Signaling.Protocol;
using Parley.Signaling.Sessions;

namespace Parley.Signaling.Handlers;

/// <summary><c>ping</c>: answered at once with <c>pong</c> and the same id; valid in or out of a room.</summary>
public sealed class PingHandler : IMessageHandler
{
    private const int MaxIdLength = 64;

    public string Type => "ping";

    public ProtocolError? Handle(SignalingSession session, ReadOnlySpan<byte> utf8Json)
    {
        if (!ProtocolJson.TryDeserialize(utf8Json, SignalingJsonContext.Default.PingRequest, out var request, out var error))
        {
            return error;
        }

        var id = request.Id;
        if (id.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.String or JsonValueKind.Number)
            || (id.ValueKind != JsonValueKind.Undefined && id.GetRawText().Length > MaxIdLength + 2))
        {
            return ProtocolError.Invalid($"A ping id is a string or number of at most {MaxIdLength} characters.");
        }

        session.TrySend(ProtocolJson.Serialize(new PongMessage(id.ValueKind == JsonValueKind.Undefined ? null : id), SignalingJsonContext.Default.PongMessage));
        return null;
    }
}
