using Parley.Signaling.Protocol;

namespace Parley.Signaling.Rooms;

/// <summary>
/// Who decides that a room has a place for one more. In one process the room's own count does
/// (<see cref="LocalRoomSeats"/>); with several nodes a shared store decides atomically, so "room full" is never
/// decided from one node's local view (docs/deployment.md, "Several nodes").
/// </summary>
public interface IRoomSeats
{
    /// <summary>
    /// Takes a seat in <paramref name="roomName"/> for <paramref name="participantId"/> (keeping one it already holds),
    /// unless the room holds <paramref name="capacity"/> already: then <c>room-full</c>; <c>unavailable</c> when it
    /// cannot be decided now. Never blocks: a store that must be asked answers <c>unavailable</c> here (entries take
    /// their seat with <see cref="TakeAsync"/> first); never call it under a room's lock.
    /// </summary>
    bool TryTake(string roomName, string participantId, int capacity, out ProtocolError refusal);

    /// <summary>
    /// <see cref="TryTake"/> without holding a thread while the shared store answers: null when the seat is taken,
    /// else the refusal. What <c>join</c> and <c>resume</c> use (<see cref="RoomRegistry.TakeSeatAsync"/>).
    /// </summary>
    ValueTask<ProtocolError?> TakeAsync(string roomName, string participantId, int capacity);

    /// <summary>Gives a participant's seat back. Called under the room's lock: must not block.</summary>
    void Release(string roomName, string participantId);
}

/// <summary>One process: the room's own count decides, under its lock (<see cref="Room"/>).</summary>
public sealed class LocalRoomSeats : IRoomSeats
{
    public static readonly LocalRoomSeats Instance = new();

    public bool TryTake(string roomName, string participantId, int capacity, out ProtocolError refusal)
    {
        refusal = default;
        return true;
    }

    public ValueTask<ProtocolError?> TakeAsync(string roomName, string participantId, int capacity) => ValueTask.FromResult<ProtocolError?>(null);

    public void Release(string roomName, string participantId)
    {
    }
}
