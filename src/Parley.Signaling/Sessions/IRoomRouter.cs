using Parley.Signaling.Protocol;

namespace Parley.Signaling.Sessions;

/// <summary>
/// Where a room lives. In one process, here (<see cref="LocalRoomRouter"/>). With several nodes each room is served
/// by one of them, its owner; a session whose room another node owns is handed over to it: this node keeps the
/// client's transport and carries its messages both ways (docs/deployment.md, "Several nodes").
/// </summary>
public interface IRoomRouter
{
    /// <summary>
    /// Called by <c>join</c> and <c>resume</c> once admitted, with the message itself: <see cref="RoomRoute.Here"/> to
    /// go on here, <see cref="RoomRoute.HandedOver"/> when <paramref name="session"/> now belongs to the owner (which
    /// handles <paramref name="message"/>), or <see cref="RoomRoute.Refused"/> with <paramref name="refusal"/>
    /// (<c>unavailable</c>: it cannot be decided now). Blocks for at most a bounded time.
    /// </summary>
    RoomRoute Route(SignalingSession session, string roomName, ReadOnlySpan<byte> message, out ProtocolError refusal);
}

public enum RoomRoute
{
    Here,
    HandedOver,
    Refused,
}

/// <summary>One process: every room is here.</summary>
public sealed class LocalRoomRouter : IRoomRouter
{
    public RoomRoute Route(SignalingSession session, string roomName, ReadOnlySpan<byte> message, out ProtocolError refusal)
    {
        refusal = default;
        return RoomRoute.Here;
    }
}
