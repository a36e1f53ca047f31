using Parley.Signaling.Access;

namespace Parley.Signaling.Rooms;

/// <summary>What every room uses: the clock, the resume tokens it hands out, the listener for webhooks, and its seats.</summary>
public sealed record RoomServices(TimeProvider Time, ResumeTokens ResumeTokens, IRoomEvents Events)
{
    /// <summary>Who decides that a room has a place for one more; the room's own count unless several nodes share rooms.</summary>
    public IRoomSeats Seats { get; init; } = LocalRoomSeats.Instance;
}
