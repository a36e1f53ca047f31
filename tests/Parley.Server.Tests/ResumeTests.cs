using System.Net.WebSockets;
using System.Text.Json;

namespace Parley.Server.Tests;

/// <summary>
/// Resuming after a lost connection, the grace period, and what each way of closing means
/// (docs/protocol.md, "Leaving, losing the connection, and resuming"); time is the fake clock's.
/// </summary>
public sealed class ResumeTests : IDisposable
{
    /// <summary>An HTTP client that stops reading and posting has vanished after 5 s, before the heartbeat would notice.</summary>
    private readonly ParleyServer server = new(new() { ["Signaling:Http:IdleSeconds"] = "5" });

    public void Dispose() => server.Dispose();

    private static string Token(ISignalingTestClient client) => client.Joined.GetProperty("resumeToken").GetString()!;

    [Theory, ClassData(typeof(AllTransports))]
    public async Task A_dropped_connection_resumes_within_the_grace_period_with_its_id_and_nobody_sees_it_leave(string transport)
    {
        await using var ann = await server.JoinAsync("resume-ok", "Ann", transport);
        var bob = await server.JoinAsync("resume-ok", "Bob", transport);
        await ann.ExpectAsync("participant-joined");
        var (bobId, token) = (bob.Id, Token(bob));
        Assert.False(bob.Joined.GetProperty("resumed").GetBoolean());

        await server.DropAsync(bob, ann);
        // Ann hears that Bob's socket dropped (she would answer peer-lost if her peer connection to him were gone too).
        Assert.Equal(bobId, (await ann.ExpectAsync("participant-away")).GetProperty("id").GetString());
        await server.AdvanceAsync(TimeSpan.FromSeconds(19), ann);
        await ann.AssertAliveAsync(); // nothing else (no participant-left) was queued for Ann

        await using var bobAgain = await server.ConnectAsync(transport);
        var joined = await bobAgain.ResumeAsync("resume-ok", token, "Bob");

        Assert.True(joined.GetProperty("resumed").GetBoolean());
        Assert.Equal(bobId, bobAgain.Id);
        Assert.Equal(ann.Id, Assert.Single(joined.GetProperty("participants").EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal(JsonValueKind.Array, joined.GetProperty("iceServers").ValueKind); // fresh ones: TURN is off in these tests
        var announced = await ann.ExpectAsync("participant-joined");
        Assert.Equal(bobId, announced.GetProperty("participant").GetProperty("id").GetString());
        Assert.True(announced.GetProperty("resumed").GetBoolean());

        // Relaying works both ways again, and the grace timer no longer runs.
        await ann.SendAsync(new { type = "offer", to = bobId, sdp = "v=0 restart" });
        Assert.Equal(ann.Id, (await bobAgain.ExpectAsync("offer")).GetProperty("from").GetString());
        await bobAgain.SendAsync(new { type = "answer", to = ann.Id, sdp = "v=0 answer" });
        Assert.Equal(bobId, (await ann.ExpectAsync("answer")).GetProperty("from").GetString());
        await server.AdvanceAsync(TimeSpan.FromSeconds(60), ann, bobAgain);
        await ann.AssertAliveAsync(); // still no participant-left
    }

    [Theory, ClassData(typeof(AllTransports))]
    public async Task A_participant_that_does_not_come_back_leaves_when_the_grace_period_ends(string transport)
    {
        await using var ann = await server.JoinAsync("resume-expired", "Ann", transport);
        var bob = await server.JoinAsync("resume-expired", "Bob", transport);
        await ann.ExpectAsync("participant-joined");

        await server.DropAsync(bob, ann);
        await server.WaitUntilSessionsAsync(1);
        await ann.ExpectAsync("participant-away");
        await server.AdvanceAsync(TimeSpan.FromSeconds(19), ann);
        server.Time.Advance(TimeSpan.FromSeconds(1));

        var left = await ann.ExpectAsync("participant-left");
        Assert.Equal(bob.Id, left.GetProperty("id").GetString());
        Assert.Equal("disconnected", left.GetProperty("reason").GetString());
    }

    /// <summary>Each way of closing, over each transport (HTTP closes with <c>DELETE ?code=</c>).</summary>
    public static TheoryData<string, WebSocketCloseStatus, bool> Closes()
    {
        var data = new TheoryData<string, WebSocketCloseStatus, bool>();
        foreach (var transport in new AllTransports())
        {
            data.Add(transport, WebSocketCloseStatus.NormalClosure, true);
            data.Add(transport, WebSocketCloseStatus.EndpointUnavailable, true);
            data.Add(transport, (WebSocketCloseStatus)4000, false);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Closes))]
    public async Task Closing_on_purpose_leaves_at_once_and_any_other_close_keeps_the_place(string transport, WebSocketCloseStatus status, bool leavesAtOnce)
    {
        var room = $"close-{transport}-{(int)status}";
        await using var ann = await server.JoinAsync(room, "Ann", transport);
        await using var bob = await server.JoinAsync(room, "Bob", transport);
        await ann.ExpectAsync("participant-joined");

        await bob.CloseAsync(status);
        await server.WaitUntilSessionsAsync(1);

        if (leavesAtOnce)
        {
            Assert.Equal(bob.Id, (await ann.ExpectAsync("participant-left")).GetProperty("id").GetString());
        }
        else
        {
            await ann.AssertAliveAsync();
            await server.AdvanceAsync(TimeSpan.FromSeconds(19), ann);
            server.Time.Advance(TimeSpan.FromSeconds(1));
            Assert.Equal(bob.Id, (await ann.ExpectAsync("participant-left")).GetProperty("id").GetString());
        }
    }

    [Theory, ClassData(typeof(AllTransports))]
    public async Task Resuming_while_the_old_connection_is_open_replaces_it(string transport)
    {
        await using var ann = await server.JoinAsync("resume-replace", "Ann", transport);
        await using var oldBob = await server.JoinAsync("resume-replace", "Bob", transport);
        await ann.ExpectAsync("participant-joined");

        await using var newBob = await server.ConnectAsync(transport);
        var joined = await newBob.ResumeAsync("resume-replace", Token(oldBob), "Bob");

        Assert.True(joined.GetProperty("resumed").GetBoolean());
        Assert.Equal(oldBob.Id, newBob.Id);
        var last = (await oldBob.ReadUntilClosedAsync()).Last();
        Assert.Equal("session-replaced", last.GetProperty("code").GetString());
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, oldBob.CloseStatus);
        Assert.True((await ann.ExpectAsync("participant-joined")).GetProperty("resumed").GetBoolean());
        await ann.AssertAliveAsync(); // and no participant-left
        await newBob.AssertAliveAsync();
    }

    [Fact]
    public async Task A_restarted_server_rebuilds_the_room_from_the_participants_that_resume()
    {
        string annToken, bobToken, annId, bobId;
        using (var before = new ParleyServer())
        {
            await using var ann = await before.JoinAsync("rebuilt", "Ann");
            await using var bob = await before.JoinAsync("rebuilt", "Bob");
            (annToken, bobToken, annId, bobId) = (Token(ann), Token(bob), ann.Id, bob.Id);
        }

        await using var annBack = await server.ConnectAsync();
        var annJoined = await annBack.ResumeAsync("rebuilt", annToken, "Ann");
        await using var bobBack = await server.ConnectAsync();
        var bobJoined = await bobBack.ResumeAsync("rebuilt", bobToken, "Bob", muted: true);

        Assert.Equal(annId, annBack.Id);
        Assert.Equal(bobId, bobBack.Id);
        Assert.False(annJoined.GetProperty("resumed").GetBoolean());
        Assert.Empty(annJoined.GetProperty("participants").EnumerateArray());
        Assert.Equal(annId, Assert.Single(bobJoined.GetProperty("participants").EnumerateArray()).GetProperty("id").GetString());
        var announced = await annBack.ExpectAsync("participant-joined");
        Assert.Equal(bobId, announced.GetProperty("participant").GetProperty("id").GetString());
        Assert.True(announced.GetProperty("resumed").GetBoolean());
        Assert.True(announced.GetProperty("participant").GetProperty("muted").GetBoolean());
        await annBack.SendAsync(new { type = "candidate", to = bobId, candidate = new { candidate = "candidate:1 1 udp 1 127.0.0.1 9 typ host", sdpMid = "0", sdpMLineIndex = 0 } });
        Assert.Equal(annId, (await bobBack.ExpectAsync("candidate")).GetProperty("from").GetString());
    }

    [Theory]
    [InlineData("""{"type":"resume","protocol":1,"room":"r","name":"Ann"}""", "invalid-token")]
    [InlineData("""{"type":"resume","protocol":1,"room":"r","name":"Ann","token":"short"}""", "invalid-token")]
    [InlineData("""{"type":"resume","protocol":1,"room":"r","name":"Ann","token":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA!"}""", "invalid-token")]
    [InlineData("""{"type":"resume","protocol":1,"room":"r","name":"Ann","token":7}""", "malformed-json")]
    [InlineData("""{"type":"resume","protocol":2,"room":"r","name":"Ann","token":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}""", "unsupported-protocol")]
    [InlineData("""{"type":"resume","protocol":1,"room":"a/b","name":"Ann","token":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}""", "invalid-room")]
    public async Task A_bad_resume_gets_a_clear_error_and_the_connection_stays_usable(string frame, string code)
    {
        await using var client = await server.ConnectAsync();
        await client.SendTextAsync(frame);
        var error = await client.ExpectErrorAsync(code);
        Assert.Equal("resume", error.GetProperty("ref").GetString());
        await client.JoinAsync("after-bad-resume", "Ann");
    }

    [Fact]
    public async Task Resume_while_in_a_room_is_refused()
    {
        await using var ann = await server.JoinAsync("resume-twice", "Ann");
        await ann.SendAsync(new { type = "resume", protocol = 1, room = "resume-twice", token = Token(ann), name = "Ann" });
        await ann.ExpectErrorAsync("already-joined");
    }
}
