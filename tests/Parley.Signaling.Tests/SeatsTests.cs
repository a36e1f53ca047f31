using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Parley.Access;
using Parley.Signaling.Access;
using Parley.Signaling.Protocol;
using Parley.Signaling.Rooms;

namespace Parley.Signaling.Tests;

/// <summary>
/// The registry asks <see cref="IRoomSeats"/> (with several nodes, Redis) before a participant enters a room: its refusal
/// is the join's, a seat is given back whenever the participant does not stay or leaves, and a resume into a room that
/// still holds the participant takes none.
/// </summary>
public class SeatsTests
{
    private static readonly IceServer[] Ice = [new(["stun:127.0.0.1:3478"])];

    private static RoomRegistry Registry(IRoomSeats seats, int perRoom = 16)
    {
        var time = new FakeTimeProvider();
        var auth = Options.Create(new AuthOptions());
        auth.Value.Keys["key"] = new string('s', 40); // the moderator below is a token-mode participant signed with it
        return new(Options.Create(new SignalingOptions { MaxRooms = 10, MaxParticipantsPerRoom = perRoom, ResumeGraceSeconds = 20 }),
            new RoomServices(time, new ResumeTokens(new ResumeTicketCodec(auth, time)), new NoRoomEvents()) { Seats = seats });
    }

    [Fact]
    public void A_seat_refused_by_the_shared_store_refuses_the_join_and_leaves_no_empty_room()
    {
        var seats = new CountingSeats(capacity: 1);
        var registry = Registry(seats);
        var (ann, _) = RoomTests.NewParticipant("Ann");
        var (bob, _) = RoomTests.NewParticipant("Bob");

        Assert.True(registry.TryJoin("r", ann, Ice, out var room, out _));
        Assert.False(registry.TryJoin("r", bob, Ice, out _, out var error));

        Assert.Equal(ErrorCode.RoomFull, error.Code);
        Assert.Equal(1, room.Count);
        Assert.Equal(["r:" + ann.Id], seats.Taken);
    }

    [Fact]
    public void Unavailable_is_passed_on_and_a_room_opened_for_it_is_closed_again()
    {
        var registry = Registry(new CountingSeats(capacity: 16) { Unavailable = true });
        var (ann, _) = RoomTests.NewParticipant("Ann");

        Assert.False(registry.TryJoin("r", ann, Ice, out _, out var error));

        Assert.Equal(ErrorCode.Unavailable, error.Code);
        Assert.Equal(0, registry.RoomCount);
    }

    [Fact]
    public void A_seat_is_given_back_when_the_room_refuses_and_when_the_participant_leaves()
    {
        var seats = new CountingSeats(capacity: 16);
        var registry = Registry(seats);
        var annLink = new RecordingConnection();
        var moderator = ParticipantPermissions.Open with { Admin = true };
        var ann = new Participant(ResumeToken.New(), "Ann", false, annLink,
            new ParticipantAccess("key", "ann", "", moderator, "hash", DateTimeOffset.MaxValue));
        var (bob, _) = RoomTests.NewParticipant("Bob");
        Assert.True(registry.TryJoin("r", ann, Ice, out var room, out _));
        Assert.Null(room.TryLock(ann, locking: true));

        Assert.False(registry.TryJoin("r", bob, Ice, out _, out var error));
        Assert.Equal(ErrorCode.RoomLocked, error.Code);
        Assert.DoesNotContain("r:" + bob.Id, seats.Taken);

        registry.Leave(room, ann, annLink, ParticipantLeftMessage.ReasonLeft);
        Assert.Empty(seats.Taken);
    }

    [Fact]
    public void A_resume_takes_a_seat_only_when_the_room_no_longer_holds_the_participant()
    {
        var seats = new CountingSeats(capacity: 16);
        var registry = Registry(seats);
        var (ann, annLink) = RoomTests.NewParticipant("Ann");
        Assert.True(registry.TryJoin("r", ann, Ice, out var room, out _));
        registry.MarkAway(room, ann, annLink);
        var takes = seats.Takes;

        Assert.True(registry.TryResume("r", ann.ResumeSecret, "Ann", null, new RecordingConnection(), Ice, out _, out _, out _));
        Assert.Equal(takes, seats.Takes);

        var restarted = Registry(seats);
        Assert.True(restarted.TryResume("r", ann.ResumeSecret, "Ann", null, new RecordingConnection(), Ice, out _, out _, out _));
        Assert.Equal(takes + 1, seats.Takes);
    }

    /// <summary>Seats as a shared store would keep them: per room, up to a capacity of its own.</summary>
    private sealed class CountingSeats(int capacity) : IRoomSeats
    {
        public List<string> Taken { get; } = [];

        public int Takes { get; private set; }

        public bool Unavailable { get; init; }

        public bool TryTake(string roomName, string participantId, int capacity1, out ProtocolError refusal)
        {
            Takes++;
            refusal = default;
            if (Unavailable)
            {
                refusal = new ProtocolError(ErrorCode.Unavailable, "away");
                return false;
            }

            var key = roomName + ":" + participantId;
            if (Taken.Contains(key))
            {
                return true;
            }

            if (Taken.Count(seat => seat.StartsWith(roomName + ":", StringComparison.Ordinal)) >= Math.Min(capacity, capacity1))
            {
                refusal = new ProtocolError(ErrorCode.RoomFull, "full");
                return false;
            }

            Taken.Add(key);
            return true;
        }

        public ValueTask<ProtocolError?> TakeAsync(string roomName, string participantId, int capacity1) =>
            ValueTask.FromResult(TryTake(roomName, participantId, capacity1, out var refusal) ? null : (ProtocolError?)refusal);

        public void Release(string roomName, string participantId) => Taken.Remove(roomName + ":" + participantId);
    }
}
