using Microsoft.Extensions.Options;
using Parley.Signaling.Protocol;

namespace Parley.Signaling.Rooms;

/// <summary>
/// The rooms of this server, by case-insensitive name. A room exists while it has participants; the
/// registry opens at most <see cref="SignalingOptions.MaxRooms"/>.
/// </summary>
/// <remarks>Lock order: the registry's lock, then a room's. A room's lock is never held while taking the registry's.</remarks>
public sealed class RoomRegistry(IOptions<SignalingOptions> options)
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, Room> rooms = new(StringComparer.OrdinalIgnoreCase);
    private readonly SignalingOptions options = options.Value;

    public int RoomCount
    {
        get
        {
            lock (gate)
            {
                return rooms.Count;
            }
        }
    }

    /// <summary>Finds a room by name; for tests and diagnostics.</summary>
    public Room? Find(string name)
    {
        lock (gate)
        {
            return rooms.GetValueOrDefault(name);
        }
    }

    /// <summary>
    /// Puts a participant into the named room (opening it if needed), sends it <c>joined</c> and tells the
    /// others. Fails with room-full or server-full.
    /// </summary>
    public bool TryJoin(string roomName, Participant joiner, IReadOnlyList<IceServer> iceServers, out Room room, out ProtocolError error)
    {
        while (true)
        {
            lock (gate)
            {
                if (!rooms.TryGetValue(roomName, out room!))
                {
                    if (rooms.Count >= options.MaxRooms)
                    {
                        error = new ProtocolError(ErrorCode.ServerFull, "The server has no room for another room; try again later or join an existing one.");
                        return false;
                    }

                    room = new Room(roomName, options.MaxParticipantsPerRoom);
                    rooms.Add(roomName, room);
                }
            }

            switch (room.TryAdd(joiner, iceServers, out error))
            {
                case JoinOutcome.Joined:
                    return true;
                case JoinOutcome.Refused:
                    return false;
                default:
                    continue; // The room emptied and closed between the two locks: open it anew.
            }
        }
    }

    /// <summary>Takes a participant out of its room, tells the others, and drops the room once empty.</summary>
    public void Leave(Room room, Participant leaver, string reason)
    {
        if (room.Remove(leaver, reason) > 0)
        {
            return;
        }

        lock (gate)
        {
            if (rooms.TryGetValue(room.Name, out var current) && ReferenceEquals(current, room) && room.TryClose())
            {
                rooms.Remove(room.Name);
            }
        }
    }
}
