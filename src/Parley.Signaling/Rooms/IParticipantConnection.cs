using Parley.Signaling.Protocol;

namespace Parley.Signaling.Rooms;

/// <summary>Where a room delivers a participant's messages: a WebSocket session, or a test double.</summary>
public interface IParticipantConnection
{
    /// <summary>
    /// Queues one serialized message without waiting. False when the connection cannot take it (closed, or
    /// its queue is full); the connection then deals with itself and the room carries on.
    /// </summary>
    bool TrySend(byte[] utf8Json);

    /// <summary>
    /// Another connection resumed this connection's participant: it is no longer in the room and must close.
    /// Called under the room's lock, so it must not block.
    /// </summary>
    void OnReplaced();

    /// <summary>
    /// The room took this connection's participant out (<c>removed</c>, <c>duplicate-identity</c>, <c>room-deleted</c>):
    /// send <paramref name="reason"/> and close, without leaving the room again and without keeping a place to resume.
    /// Called under the room's lock, so it must not block.
    /// </summary>
    void OnRemoved(ProtocolError reason);

    /// <summary>
    /// A room mate lost its peer connection to this participant: if this connection has been quiet, check at once
    /// that the client is still there (docs/protocol.md, <c>peer-lost</c>). Called under the room's lock: must not block.
    /// </summary>
    void CheckAlive();
}
