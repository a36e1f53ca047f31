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
    /// handles <paramref name="message"/>), or <see cref="RoomRoute.Refused"/> with a refusal (<c>unavailable</c>: it
    /// cannot be decided now). With several nodes it completes when the shared store has answered, within its bounded
    /// timeout, without holding a thread meanwhile (the session holds the client's later messages).
    /// </summary>
    ValueTask<RoomRouting> RouteAsync(SignalingSession session, string roomName, ReadOnlyMemory<byte> message);
}

public enum RoomRoute
{
    Here,
    HandedOver,
    Refused,
}

/// <summary>A router's answer: the route, and for <see cref="RoomRoute.Refused"/> the error the client gets.</summary>
public readonly record struct RoomRouting(RoomRoute Route, ProtocolError Refusal = default)
{
    public static readonly RoomRouting Here = new(RoomRoute.Here);

    public static readonly RoomRouting HandedOver = new(RoomRoute.HandedOver);
}

/// <summary>One process: every room is here.</summary>
public sealed class LocalRoomRouter : IRoomRouter
{
    public ValueTask<RoomRouting> RouteAsync(SignalingSession session, string roomName, ReadOnlyMemory<byte> message) =>
        ValueTask.FromResult(RoomRouting.Here);
}
