using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Parley.Access;
using Parley.Signaling.Access;
using Parley.Signaling.Protocol;
using Parley.Signaling.Rooms;

namespace Parley.Signaling.Tests;

public class RoomTests
{
    private static readonly IceServer[] Ice = [new(["stun:127.0.0.1:3478"])];

    internal static RoomRegistry Registry(int maxRooms = 10, int perRoom = 3, TimeProvider? time = null, int graceSeconds = 20,
        IRoomEvents? events = null, ResumeTokens? resumeTokens = null)
    {
        time ??= new FakeTimeProvider();
        resumeTokens ??= new ResumeTokens(new ResumeTicketCodec(Options.Create(new AuthOptions()), time));
        return new(Options.Create(new SignalingOptions { MaxRooms = maxRooms, MaxParticipantsPerRoom = perRoom, ResumeGraceSeconds = graceSeconds }),
            new RoomServices(time, resumeTokens, events ?? new NoRoomEvents()));
    }

    internal static (Participant Participant, RecordingConnection Connection) NewParticipant(string name, bool muted = false)
    {
        var connection = new RecordingConnection();
        return (new Participant(ResumeToken.New(), name, muted, connection), connection);
    }

    [Fact]
    public void Joiner_gets_the_others_and_the_others_get_the_joiner()
    {
        var registry = Registry();
        var (ann, annLink) = NewParticipant("Ann");
        var (bob, bobLink) = NewParticipant("Bob", muted: true);

        Assert.True(registry.TryJoin("lobby", ann, Ice, out var room, out _));
        Assert.True(registry.TryJoin("LOBBY", bob, Ice, out var sameRoom, out _));

        Assert.Same(room, sameRoom);
        Assert.Equal("lobby", room.Name);
        var joined = bobLink.Last("joined");
        Assert.Equal(bob.Id, joined.GetProperty("self").GetProperty("id").GetString());
        Assert.True(joined.GetProperty("self").GetProperty("muted").GetBoolean());
        var others = joined.GetProperty("participants");
        Assert.Equal(1, others.GetArrayLength());
        Assert.Equal(ann.Id, others[0].GetProperty("id").GetString());
        Assert.Equal("stun:127.0.0.1:3478", joined.GetProperty("iceServers")[0].GetProperty("urls")[0].GetString());

        Assert.Equal(["joined", "participant-joined"], annLink.Types);
        Assert.Equal(bob.Id, annLink.Last("participant-joined").GetProperty("participant").GetProperty("id").GetString());
        Assert.DoesNotContain("participant-joined", bobLink.Types);
    }

    [Fact]
    public void A_full_room_refuses_the_next_joiner_and_tells_nobody()
    {
        var registry = Registry(perRoom: 2);
        var (ann, annLink) = NewParticipant("Ann");
        registry.TryJoin("r", ann, Ice, out _, out _);
        registry.TryJoin("r", NewParticipant("Bob").Participant, Ice, out _, out _);
        var before = annLink.Received.Count;

        Assert.False(registry.TryJoin("r", NewParticipant("Cy").Participant, Ice, out _, out var error));

        Assert.Equal(ErrorCode.RoomFull, error.Code);
        Assert.Equal(before, annLink.Received.Count);
    }

    [Fact]
    public void The_server_opens_at_most_MaxRooms_but_existing_rooms_still_take_joiners()
    {
        var registry = Registry(maxRooms: 1);
        Assert.True(registry.TryJoin("one", NewParticipant("Ann").Participant, Ice, out _, out _));

        Assert.False(registry.TryJoin("two", NewParticipant("Bob").Participant, Ice, out _, out var error));
        Assert.Equal(ErrorCode.ServerFull, error.Code);
        Assert.True(registry.TryJoin("one", NewParticipant("Cy").Participant, Ice, out _, out _));
    }

    [Fact]
    public void Leaving_tells_the_others_and_an_empty_room_is_dropped()
    {
        var registry = Registry(maxRooms: 1);
        var (ann, annLink) = NewParticipant("Ann");
        var (bob, _) = NewParticipant("Bob");
        registry.TryJoin("r", ann, Ice, out var room, out _);
        registry.TryJoin("r", bob, Ice, out _, out _);

        registry.Leave(room, bob, bob.Connection!, ParticipantLeftMessage.ReasonDisconnected);
        var left = annLink.Last("participant-left");
        Assert.Equal(bob.Id, left.GetProperty("id").GetString());
        Assert.Equal("disconnected", left.GetProperty("reason").GetString());
        Assert.Equal(1, registry.RoomCount);

        registry.Leave(room, ann, ann.Connection!, ParticipantLeftMessage.ReasonLeft);
        Assert.Equal(0, registry.RoomCount);
        Assert.Null(registry.Find("r"));

        // The slot is free again: a new room can open under the MaxRooms limit.
        Assert.True(registry.TryJoin("other", NewParticipant("Cy").Participant, Ice, out _, out _));
    }

    [Fact]
    public void State_changes_reach_the_others_only_when_something_changed()
    {
        var registry = Registry();
        var (ann, annLink) = NewParticipant("Ann");
        var (bob, bobLink) = NewParticipant("Bob");
        registry.TryJoin("r", ann, Ice, out var room, out _);
        registry.TryJoin("r", bob, Ice, out _, out _);

        room.UpdateState(bob, muted: true, speaking: null);
        room.UpdateState(bob, muted: true, speaking: false);

        var states = annLink.Received.Where(m => m.GetProperty("type").GetString() == "participant-state").ToList();
        Assert.Single(states);
        Assert.Equal(bob.Id, states[0].GetProperty("id").GetString());
        Assert.True(states[0].GetProperty("muted").GetBoolean());
        Assert.False(states[0].GetProperty("speaking").GetBoolean());
        Assert.DoesNotContain("participant-state", bobLink.Types);
        Assert.True(bob.Muted);
    }

    [Fact]
    public void Relay_reaches_only_another_participant_of_the_same_room()
    {
        var registry = Registry();
        var (ann, _) = NewParticipant("Ann");
        var (bob, bobLink) = NewParticipant("Bob");
        var (eve, eveLink) = NewParticipant("Eve");
        registry.TryJoin("r", ann, Ice, out var room, out _);
        registry.TryJoin("r", bob, Ice, out _, out _);
        registry.TryJoin("elsewhere", eve, Ice, out var otherRoom, out _);
        var frame = """{"type":"offer","from":"x","sdp":"v=0"}"""u8.ToArray();

        Assert.True(room.TrySendTo(ann, bob.Id, frame));
        Assert.False(room.TrySendTo(ann, eve.Id, frame));
        Assert.False(room.TrySendTo(ann, ann.Id, frame));
        Assert.False(room.TrySendTo(ann, "p_doesnotexist", frame));
        Assert.False(otherRoom.TrySendTo(eve, bob.Id, frame));

        Assert.Single(bobLink.Received, m => m.GetProperty("type").GetString() == "offer");
        Assert.DoesNotContain("offer", eveLink.Types);
    }

    [Fact]
    public void A_connection_that_refuses_messages_does_not_stop_the_others()
    {
        var registry = Registry();
        var stuck = new Participant(ResumeToken.New(), "Stuck", false, new RecordingConnection(accepts: false));
        var (ann, annLink) = NewParticipant("Ann");
        registry.TryJoin("r", stuck, Ice, out _, out _);
        registry.TryJoin("r", ann, Ice, out _, out _);
        Assert.True(registry.TryJoin("r", NewParticipant("Bob").Participant, Ice, out _, out _));

        Assert.Contains("participant-joined", annLink.Types);
    }

    [Fact]
    public void Concurrent_joins_and_leaves_keep_every_view_consistent()
    {
        var registry = Registry(maxRooms: 100, perRoom: 64);
        var people = Enumerable.Range(0, 64).Select(i => NewParticipant($"P{i}")).ToArray();

        Parallel.ForEach(people, p =>
        {
            Assert.True(registry.TryJoin("busy", p.Participant, Ice, out var room, out _));
            if (p.Participant.Name.EndsWith('0'))
            {
                registry.Leave(room, p.Participant, p.Connection, ParticipantLeftMessage.ReasonLeft);
            }
        });

        // Each remaining participant's view (joined snapshot + joins - leaves) equals the room's membership.
        var stayed = people.Where(p => !p.Participant.Name.EndsWith('0')).Select(p => p.Participant.Id).ToHashSet();
        Assert.Equal(stayed.Count, registry.Find("busy")!.Count);
        foreach (var (participant, connection) in people.Where(p => stayed.Contains(p.Participant.Id)))
        {
            var view = new HashSet<string> { participant.Id };
            foreach (var message in connection.Received)
            {
                switch (message.GetProperty("type").GetString())
                {
                    case "joined":
                        foreach (var other in message.GetProperty("participants").EnumerateArray())
                        {
                            view.Add(other.GetProperty("id").GetString()!);
                        }

                        break;
                    case "participant-joined":
                        view.Add(message.GetProperty("participant").GetProperty("id").GetString()!);
                        break;
                    case "participant-left":
                        view.Remove(message.GetProperty("id").GetString()!);
                        break;
                }
            }

            Assert.Equal(stayed, view);
        }
    }

    [Fact]
    public void Participant_ids_are_unique_and_well_formed()
    {
        var ids = Enumerable.Range(0, 10_000).Select(_ => ParticipantId.New()).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(ids, id => Assert.Matches("^p_[A-Za-z0-9_-]{12}$", id));
    }
}
