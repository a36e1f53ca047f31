using Microsoft.Extensions.Time.Testing;
using Parley.Signaling.Protocol;
using Parley.Signaling.Rooms;

namespace Parley.Signaling.Tests;

/// <summary>Resume tokens, away participants and the grace period, on a room registry with a fake clock.</summary>
public class ResumeTests
{
    private static readonly IceServer[] Ice = [new(["stun:127.0.0.1:3478"])];

    [Fact]
    public void The_participant_id_is_derived_from_the_token_and_only_valid_tokens_give_one()
    {
        var token = ResumeToken.New();

        Assert.Equal(ResumeToken.Length, token.Length);
        Assert.True(ParticipantId.TryFromResumeToken(token, out var id));
        Assert.Equal(id, ParticipantId.FromResumeToken(token));
        Assert.Matches("^p_[A-Za-z0-9_-]{12}$", id);
        Assert.NotEqual(id, ParticipantId.FromResumeToken(ResumeToken.New()));

        foreach (var bad in new[] { null, "", token[..42], token + "A", token[..42] + "!", token[..42] + "=", new string('A', 44) })
        {
            Assert.False(ParticipantId.TryFromResumeToken(bad, out _), bad);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_peer_lost_report_ends_the_grace_period_only_of_a_participant_whose_socket_dropped(bool dropped)
    {
        var time = new FakeTimeProvider();
        var registry = RoomTests.Registry(time: time);
        var (ann, annLink) = RoomTests.NewParticipant("Ann");
        var (bob, bobLink) = RoomTests.NewParticipant("Bob");
        registry.TryJoin("r", ann, Ice, out var room, out _);
        registry.TryJoin("r", bob, Ice, out _, out _);

        registry.MarkAway(room, bob, bobLink, dropped);
        Assert.Equal(dropped, annLink.Types.Contains("participant-away"));
        Assert.Equal(dropped, room.CheckAlive(ann, bob.Id));

        Assert.Equal(dropped ? 1 : 2, room.Count);
        Assert.Equal(dropped, annLink.Types.Contains("participant-left"));
        if (dropped)
        {
            Assert.Equal(bob.Id, annLink.Last("participant-away").GetProperty("id").GetString());
            Assert.Equal("disconnected", annLink.Last("participant-left").GetProperty("reason").GetString());
            time.Advance(TimeSpan.FromSeconds(20)); // the grace timer went with it: no second participant-left
            Assert.Single(annLink.Types, type => type == "participant-left");
        }
    }

    [Fact]
    public void Resuming_within_the_grace_period_keeps_the_place_and_nobody_hears_a_leave()
    {
        var time = new FakeTimeProvider();
        var registry = RoomTests.Registry(time: time);
        var (ann, annLink) = RoomTests.NewParticipant("Ann");
        var (bob, bobLink) = RoomTests.NewParticipant("Bob");
        registry.TryJoin("r", ann, Ice, out var room, out _);
        registry.TryJoin("r", bob, Ice, out _, out _);
        var token = bobLink.Last("joined").GetProperty("resumeToken").GetString()!;

        registry.MarkAway(room, bob, bobLink);
        Assert.Null(bob.Connection);
        time.Advance(TimeSpan.FromSeconds(19));
        var bobAgain = new RecordingConnection();
        Assert.True(registry.TryResume("R", token, "Bobby", muted: true, bobAgain, Ice, out var sameRoom, out var resumed, out _));
        time.Advance(TimeSpan.FromSeconds(60));

        Assert.Same(room, sameRoom);
        Assert.Same(bob, resumed);
        Assert.Same(bobAgain, bob.Connection);
        Assert.DoesNotContain("participant-left", annLink.Types);
        var joined = bobAgain.Last("joined");
        Assert.True(joined.GetProperty("resumed").GetBoolean());
        Assert.Equal(bob.Id, joined.GetProperty("self").GetProperty("id").GetString());
        Assert.Equal("Bob", joined.GetProperty("self").GetProperty("name").GetString()); // the server keeps the name it holds
        Assert.True(joined.GetProperty("self").GetProperty("muted").GetBoolean());
        Assert.Equal(token, joined.GetProperty("resumeToken").GetString());
        Assert.Equal(ann.Id, Assert.Single(joined.GetProperty("participants").EnumerateArray()).GetProperty("id").GetString());
        var announced = annLink.Last("participant-joined");
        Assert.True(announced.GetProperty("resumed").GetBoolean());
        Assert.Equal(bob.Id, announced.GetProperty("participant").GetProperty("id").GetString());
    }

    [Fact]
    public void Messages_to_an_away_participant_are_dropped_without_an_error()
    {
        var registry = RoomTests.Registry();
        var (ann, _) = RoomTests.NewParticipant("Ann");
        var (bob, bobLink) = RoomTests.NewParticipant("Bob");
        registry.TryJoin("r", ann, Ice, out var room, out _);
        registry.TryJoin("r", bob, Ice, out _, out _);
        registry.MarkAway(room, bob, bobLink);
        var before = bobLink.Received.Count;

        Assert.True(room.TrySendTo(ann, bob.Id, """{"type":"offer","from":"x","sdp":"v=0"}"""u8.ToArray()));
        Assert.Equal(before, bobLink.Received.Count);
    }

    [Fact]
    public void An_away_participant_leaves_when_the_grace_period_ends()
    {
        var time = new FakeTimeProvider();
        var registry = RoomTests.Registry(time: time, graceSeconds: 20);
        var (ann, annLink) = RoomTests.NewParticipant("Ann");
        var (bob, bobLink) = RoomTests.NewParticipant("Bob");
        registry.TryJoin("r", ann, Ice, out var room, out _);
        registry.TryJoin("r", bob, Ice, out _, out _);

        registry.MarkAway(room, bob, bobLink);
        time.Advance(TimeSpan.FromSeconds(19.9));
        Assert.DoesNotContain("participant-left", annLink.Types);
        Assert.Equal(2, room.Count);

        time.Advance(TimeSpan.FromSeconds(0.1));
        var left = annLink.Last("participant-left");
        Assert.Equal(bob.Id, left.GetProperty("id").GetString());
        Assert.Equal("disconnected", left.GetProperty("reason").GetString());
        Assert.Equal(1, room.Count);

        // Everyone away and gone: the room closes.
        registry.MarkAway(room, ann, annLink);
        time.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal(0, registry.RoomCount);
    }

    [Fact]
    public void With_no_grace_period_an_abrupt_disconnect_is_a_leave_at_once()
    {
        var registry = RoomTests.Registry(graceSeconds: 0);
        var (ann, annLink) = RoomTests.NewParticipant("Ann");
        var (bob, bobLink) = RoomTests.NewParticipant("Bob");
        registry.TryJoin("r", ann, Ice, out var room, out _);
        registry.TryJoin("r", bob, Ice, out _, out _);

        registry.MarkAway(room, bob, bobLink);

        Assert.Equal(bob.Id, annLink.Last("participant-left").GetProperty("id").GetString());
    }

    [Fact]
    public void A_server_that_lost_the_room_rebuilds_it_from_the_resuming_participants_with_their_ids()
    {
        // A fresh registry stands for a restarted server: it has never seen these tokens.
        var before = RoomTests.Registry();
        var (ann, annOld) = RoomTests.NewParticipant("Ann");
        var (bob, bobOld) = RoomTests.NewParticipant("Bob");
        before.TryJoin("r", ann, Ice, out _, out _);
        before.TryJoin("r", bob, Ice, out _, out _);
        var annToken = annOld.Last("joined").GetProperty("resumeToken").GetString()!;
        var bobToken = bobOld.Last("joined").GetProperty("resumeToken").GetString()!;

        var restarted = RoomTests.Registry();
        var annNew = new RecordingConnection();
        var bobNew = new RecordingConnection();
        Assert.True(restarted.TryResume("r", annToken, "Ann", false, annNew, Ice, out var room, out var annBack, out _));
        Assert.True(restarted.TryResume("r", bobToken, "Bob", true, bobNew, Ice, out _, out var bobBack, out _));

        Assert.Equal(ann.Id, annBack.Id);
        Assert.Equal(bob.Id, bobBack.Id);
        Assert.Equal(2, room.Count);
        Assert.False(annNew.Last("joined").GetProperty("resumed").GetBoolean());
        Assert.Empty(annNew.Last("joined").GetProperty("participants").EnumerateArray());
        var bobJoined = bobNew.Last("joined");
        Assert.False(bobJoined.GetProperty("resumed").GetBoolean());
        Assert.Equal(ann.Id, Assert.Single(bobJoined.GetProperty("participants").EnumerateArray()).GetProperty("id").GetString());
        var announced = annNew.Last("participant-joined");
        Assert.Equal(bob.Id, announced.GetProperty("participant").GetProperty("id").GetString());
        Assert.True(announced.GetProperty("resumed").GetBoolean());
        Assert.True(announced.GetProperty("participant").GetProperty("muted").GetBoolean());
    }

    [Fact]
    public void Resuming_while_the_old_connection_is_still_attached_replaces_it()
    {
        var registry = RoomTests.Registry();
        var (ann, annLink) = RoomTests.NewParticipant("Ann");
        registry.TryJoin("r", ann, Ice, out var room, out _);
        var token = annLink.Last("joined").GetProperty("resumeToken").GetString()!;

        var newer = new RecordingConnection();
        Assert.True(registry.TryResume("r", token, "Ann", null, newer, Ice, out _, out _, out _));

        Assert.Equal(1, annLink.Replaced);
        Assert.Same(newer, ann.Connection);
        Assert.True(newer.Last("joined").GetProperty("resumed").GetBoolean());
        Assert.Equal(1, room.Count);

        // The old connection's late departure no longer touches the participant.
        registry.Leave(room, ann, annLink, ParticipantLeftMessage.ReasonDisconnected);
        registry.MarkAway(room, ann, annLink);
        Assert.Same(newer, ann.Connection);
        Assert.Equal(1, room.Count);
    }

    [Fact]
    public void A_resume_into_a_full_room_is_refused_when_the_place_was_lost()
    {
        var registry = RoomTests.Registry(perRoom: 1);
        registry.TryJoin("r", RoomTests.NewParticipant("Ann").Participant, Ice, out _, out _);

        Assert.False(registry.TryResume("r", ResumeToken.New(), "Bob", null, new RecordingConnection(), Ice, out _, out _, out var error));
        Assert.Equal(ErrorCode.RoomFull, error.Code);
    }
}
