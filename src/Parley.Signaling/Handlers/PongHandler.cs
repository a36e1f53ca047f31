using Parley.Signaling.Protocol;
using Parley.Signaling.Sessions;

namespace Parley.Signaling.Handlers;

/// <summary>
/// <c>pong</c>: the answer to the server's heartbeat <c>ping</c>. Like every message it already reset the
/// connection's heartbeat timeout on arrival, so there is nothing more to do than check that it is one object.
/// </summary>
public sealed class PongHandler : IMessageHandler
{
    public string Type => "pong";

    public ProtocolError? Handle(SignalingSession session, ReadOnlySpan<byte> utf8Json) =>
        ProtocolJson.IsOneObject(utf8Json, out var malformed) ? null : malformed;
}
