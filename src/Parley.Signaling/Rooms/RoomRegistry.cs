using Microsoft.Extensions.Options;
using Parley.Signaling.Protocol;

namespace Parley.Signaling.Rooms;

/// <summary>
/// The rooms of this server, by case-insensitive name. A room exists while it has participants (the away
/// ones included); the registry opens at most <see cref="SignalingOptions.MaxRooms"/>.
/// </summary>
/// <remarks>Lock order: the registry's lock, then a room's. A room's lock is never held while taking the registry's.</remarks>
public sealed class RoomRegistry(IOptions<SignalingOptions> options, TimeProvider time)
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
            if (!TryOpen(roomName, out room, out error))
            {
                return false;
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

    /// <summary>
    /// Resumes the participant of <paramref name="resumeToken"/> in the named room, opening the room if this
    /// server no longer has it (it restarted): see <see cref="Room.TryResume"/>.
    /// </summary>
    public bool TryResume(string roomName, string resumeToken, string displayName, bool? muted, IParticipantConnection connection,
        IReadOnlyList<IceServer> iceServers, out Room room, out Participant participant, out ProtocolError error)
    {
        var id = ParticipantId.FromResumeToken(resumeToken);
        while (true)
        {
            if (!TryOpen(roomName, out room, out error))
            {
                participant = null!;
                return false;
            }

            switch (room.TryResume(resumeToken, id, displayName, muted, connection, iceServers, out participant, out error))
            {
                case JoinOutcome.Joined:
                    return true;
                case JoinOutcome.Refused:
                    return false;
                default:
                    continue;
            }
        }
    }

    /// <summary>
    /// Takes a participant out of its room if <paramref name="connection"/> is still its connection, tells the
    /// others unless <paramref name="announce"/> is false, and drops the room once empty.
    /// </summary>
    public void Leave(Room room, Participant leaver, IParticipantConnection connection, string reason, bool announce = true) =>
        CloseIfEmpty(room, room.Remove(leaver, connection, reason, announce));

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
        room.TryMarkAway(participant, connection, dropped, away => time.CreateTimer(
            static state => ((GraceExpiry)state!).Run(), new GraceExpiry(this, room, away), grace, Timeout.InfiniteTimeSpan));
    }

    private bool TryOpen(string roomName, out Room room, out ProtocolError error)
    {
        lock (gate)
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

            room = new Room(roomName, options.MaxParticipantsPerRoom);
            rooms.Add(roomName, room);
            return true;
        }
    }

    private void CloseIfEmpty(Room room, int remaining)
    {
        if (remaining > 0)
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

    private sealed record GraceExpiry(RoomRegistry Registry, Room Room, Participant Participant)
    {
        public void Run() => Registry.CloseIfEmpty(Room, Room.RemoveIfAway(Participant));
    }
}
