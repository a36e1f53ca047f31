using Parley.Signaling.Protocol;
using Parley.Signaling.Sessions;

namespace Parley.Signaling.Handlers;

/// <summary>Handles one client message <see cref="Type"/> (docs/protocol.md, "Client to server").</summary>
public interface IMessageHandler
{
    /// <summary>The message's <c>type</c>.</summary>
    string Type { get; }

    /// <summary>Reads the whole frame and acts on it; returns the error to send back, if refused.</summary>
    ProtocolError? Handle(SignalingSession session, ReadOnlySpan<byte> utf8Json);
}
