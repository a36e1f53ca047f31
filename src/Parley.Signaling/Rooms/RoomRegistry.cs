using Microsoft.Extensions.Options;
using Parley.Signaling.Protocol;

namespace Parley.Signaling.Rooms;

/// <summary>
/// The rooms of this server, by case-insensitive name. A room exists while it has participants (the away
/// ones included), or, when the admin API created it, until it has been empty for its empty timeout; the registry
/// opens at most <see cref="SignalingOptions.MaxRooms"/>.
/// </summary>
/// <remarks>Lock order: the registry's lock, then a room's. A room's lock is never held while taking the registry's.</remarks>
public sealed class RoomRegistry(IOptions<SignalingOptions> options, RoomServices services)
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

    /// <summary>Finds a room by name.</summary>
    public Room? Find(string name)
    {
        lock (gate)
        {
            return rooms.GetValueOrDefault(name);
        }
    }

    /// <summary>Every room now open.</summary>
    public IReadOnlyList<Room> All()
    {
        lock (gate)
        {
            return [.. rooms.Values];
        }
    }

    /// <summary>
    /// Takes a seat for <paramref name="participantId"/> in the named room (its capacity, or the default for a room not
    /// open here yet) without holding a thread while the shared store decides; null when taken, else the refusal. The
    /// seat is then passed to <see cref="TryJoin"/> or <see cref="TryResume"/> as <c>seatTaken</c>, which give it back
    /// if they refuse.
    /// </summary>
    public ValueTask<ProtocolError?> TakeSeatAsync(string roomName, string participantId) =>
        services.Seats.TakeAsync(roomName, participantId, Find(roomName)?.Capacity ?? options.MaxParticipantsPerRoom);

    /// <summary>
    /// Puts a participant into the named room (opening it if needed), sends it <c>joined</c> and tells the
    /// others. Fails with room-full, room-locked or server-full. With <paramref name="seatTaken"/> the seat was taken
    /// beforehand (<see cref="TakeSeatAsync"/>).
    /// </summary>
    public bool TryJoin(string roomName, Participant joiner, IReadOnlyList<IceServer> iceServers, out Room room, out ProtocolError error,
        bool seatTaken = false)
    {
        var seatHeld = seatTaken;
        while (true)
        {
            if (!TryOpen(roomName, out room, out error))
            {
                GiveBack(roomName, joiner.Id, seatHeld);
                return false;
            }

            // Decided before the room's lock is taken: with several nodes the seat is decided in the shared store.
            if (!seatHeld && !services.Seats.TryTake(room.Name, joiner.Id, room.Capacity, out error))
            {
                CloseIfEmpty(room, room.Count);
                return false;
            }

            seatHeld = true;
            switch (room.TryAdd(joiner, iceServers, out error))
            {
                case JoinOutcome.Joined:
                    return true;
                case JoinOutcome.Refused:
                    services.Seats.Release(room.Name, joiner.Id);
                    CloseIfEmpty(room, room.Count);
                    return false;
                default:
                    continue; // The room emptied and closed between the two locks: open it anew (a seat is the store's, not the room's: it is still held).
            }
        }
    }

    /// <summary>
    /// Resumes <paramref name="candidate"/>'s participant in the named room, opening the room if this server no longer
    /// has it (it restarted): see <see cref="Room.TryResume"/>. With <paramref name="seatTaken"/> a seat was taken
    /// beforehand (<see cref="TakeSeatAsync"/>) for a participant the room did not hold.
    /// </summary>
    public bool TryResume(string roomName, Participant candidate, bool? muted, IParticipantConnection connection,
        IReadOnlyList<IceServer> iceServers, Func<bool> mayCreate, out Room room, out Participant participant, out ProtocolError error,
        bool seatTaken = false)
    {
        var seatHeld = seatTaken;
        while (true)
        {
            if (!TryOpen(roomName, out room, out error))
            {
                GiveBack(roomName, candidate.Id, seatHeld);
                participant = null!;
                return false;
            }

            // A participant this room no longer holds comes back into it (a restarted node): it needs a seat again.
            if (!seatHeld && !room.Contains(candidate.Id))
            {
                if (!services.Seats.TryTake(room.Name, candidate.Id, room.Capacity, out error))
                {
                    participant = null!;
                    CloseIfEmpty(room, room.Count);
                    return false;
                }

                seatHeld = true;
            }

            switch (room.TryResume(candidate, muted, connection, iceServers, mayCreate, out participant, out error))
            {
                case JoinOutcome.Joined:
                    return true;
                case JoinOutcome.Refused:
                    GiveBack(room.Name, candidate.Id, seatHeld);
                    CloseIfEmpty(room, room.Count);
                    return false;
                default:
                    continue;
            }
        }
    }

    /// <summary>A seat taken beforehand for an entry that could not even open its room goes back.</summary>
    private void GiveBack(string roomName, string participantId, bool seatTaken)
    {
        if (seatTaken)
        {
            services.Seats.Release(roomName, participantId);
        }
    }

    /// <summary>
    /// Opens a room for the admin API, kept open while empty for <paramref name="emptyTimeoutSeconds"/>; an existing
    /// room keeps its participants and takes the new settings given.
    /// </summary>
    public bool TryCreate(string roomName, int emptyTimeoutSeconds, int capacity, string? metadata, out Room room, out ProtocolError error)
    {
        lock (gate)
        {
            if (!TryOpenLocked(roomName, out room, out error))
            {
                return false;
            }

            room.Capacity = capacity;
            room.EmptyTimeoutSeconds = emptyTimeoutSeconds;
        }

        if (metadata is not null)
        {
            room.SetMetadata(metadata);
        }

        room.Start(); // LiveKit starts a room when it is created, not only at its first join
        CloseIfEmpty(room, room.Count);
        return true;
    }

    /// <summary>Closes a room and disconnects everyone in it (<c>room-deleted</c>); returns who was in it, or null if no such room.</summary>
    public IReadOnlyList<Participant>? Delete(string roomName)
    {
        Room? room;
        lock (gate)
        {
            if (!rooms.Remove(roomName, out room))
            {
                return null;
            }
        }

        var removed = room.CloseAll();
        Finished(room);
        return removed;
    }

    /// <summary>
    /// Takes a participant out of its room if <paramref name="connection"/> is still its connection, tells the
    /// others unless <paramref name="announce"/> is false, and drops the room once empty.
    /// </summary>
    public void Leave(Room room, Participant leaver, IParticipantConnection connection, string reason, bool announce = true) =>
        CloseIfEmpty(room, room.Remove(leaver, connection, reason, announce));

    /// <summary>A moderator or the admin API took someone out of <paramref name="room"/>: drops the room if that emptied it.</summary>
    internal void AfterRemoval(Room room) => CloseIfEmpty(room, room.Count);

    /// <summary>
    /// The participant's connection was lost: it stays in the room, away, for
    /// <see cref="SignalingOptions.ResumeGraceSeconds"/>, then leaves with reason <c>disconnected</c> unless it resumed
    /// (or, when the socket <paramref name="dropped"/> without a close frame, a room mate reports <c>peer-lost</c>).
    /// </summary>
    public void MarkAway(Room room, Participant participant, IParticipantConnection connection, bool dropped = false)
    {
        if (options.ResumeGraceSeconds == 0)
        {
            Leave(room, participant, connection, ParticipantLeftMessage.ReasonDisconnected);
            return;
        }

        var grace = TimeSpan.FromSeconds(options.ResumeGraceSeconds);
        room.TryMarkAway(participant, connection, dropped, away => services.Time.CreateTimer(
            static state => ((GraceExpiry)state!).Run(), new GraceExpiry(this, room, away), grace, Timeout.InfiniteTimeSpan));
    }

    private bool TryOpen(string roomName, out Room room, out ProtocolError error)
    {
        lock (gate)
        {
            return TryOpenLocked(roomName, out room, out error);
        }
    }

    private bool TryOpenLocked(string roomName, out Room room, out ProtocolError error)
    {
        error = default;
        if (rooms.TryGetValue(roomName, out room!))
        {
            return true;
        }

        if (rooms.Count >= options.MaxRooms)
        {
            error = new ProtocolError(ErrorCode.ServerFull, "The server has no room for another room; try again later or join an existing one.");
            return false;
        }

        room = new Room(roomName, options.MaxParticipantsPerRoom, emptyTimeoutSeconds: 0, services);
        rooms.Add(roomName, room);
        return true;
    }

    /// <summary>
    /// Drops an empty room; one kept open while empty (created by the admin API) is dropped when its empty timeout
    /// ends (<paramref name="emptyTimeUp"/>), unless someone joined meanwhile.
    /// </summary>
    private void CloseIfEmpty(Room room, int remaining, bool emptyTimeUp = false)
    {
        if (remaining > 0)
        {
            return;
        }

        bool removed;
        lock (gate)
        {
            removed = rooms.TryGetValue(room.Name, out var current) && ReferenceEquals(current, room) && room.TryClose(emptyTimeUp)
                && rooms.Remove(room.Name);
            if (!removed && !emptyTimeUp && room.EmptyTimeoutSeconds > 0 && room.EmptyTimer is null && !room.IsClosed)
            {
                room.EmptyTimer = services.Time.CreateTimer(static state => ((EmptyExpiry)state!).Run(), new EmptyExpiry(this, room),
                    TimeSpan.FromSeconds(room.EmptyTimeoutSeconds), Timeout.InfiniteTimeSpan);
            }
        }

        if (removed)
        {
            Finished(room);
        }
    }

    private void Finished(Room room)
    {
        room.EmptyTimer?.Dispose();
        services.Events.RoomFinished(room.ToSnapshot());
    }

    private sealed record GraceExpiry(RoomRegistry Registry, Room Room, Participant Participant)
    {
        public void Run() => Registry.CloseIfEmpty(Room, Room.RemoveIfAway(Participant));
    }

    private void OnEmptyTimeout(Room room)
    {
        lock (gate)
        {
            room.EmptyTimer?.Dispose();
            room.EmptyTimer = null; // so the next time the room empties, its wait starts again
        }

        CloseIfEmpty(room, room.Count, emptyTimeUp: true);
    }

    private sealed record EmptyExpiry(RoomRegistry Registry, Room Room)
    {
        public void Run() => Registry.OnEmptyTimeout(Room);
    }
}
