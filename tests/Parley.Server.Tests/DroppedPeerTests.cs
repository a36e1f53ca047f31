using System.Net.WebSockets;
using System.Text.Json;

namespace Parley.Server.Tests;

/// <summary>
/// A crashed or killed browser: its socket drops without a close frame (the kernel closes it), and its room mates'
/// peer connections to it go quiet. The server announces <c>participant-away</c>; a mate's <c>peer-lost</c> about a
/// participant whose socket dropped confirms it is gone, and it is announced left at once instead of after the grace
/// period. A socket still open keeps today's check (ping, then <c>PeerLostCheckSeconds</c>); a client that closed to
/// reconnect keeps its place. Time is the fake clock's: nothing here advances it unless it says so.
/// </summary>
public sealed class DroppedPeerTests : IDisposable
{
    private readonly ParleyServer server = new();

    public void Dispose() => server.Dispose();

    private static string Token(SignalingClient client) => client.Joined.GetProperty("resumeToken").GetString()!;

    private static string? Id(JsonElement message) => message.GetProperty("id").GetString();

    [Fact]
    public async Task A_dropped_participant_reported_lost_is_announced_left_at_once_and_a_silent_one_keeps_the_check()
    {
        await using var ann = await server.JoinAsync("dropped", "Ann");
        await using var bob = await server.JoinAsync("dropped", "Bob");
        var carol = await server.JoinAsync("dropped", "Carol");
        await using var dave = await server.ConnectAsync(answersHeartbeats: false); // open but silent
        await dave.JoinAsync("dropped", "Dave");
        server.Time.Advance(TimeSpan.FromSeconds(3)); // all quiet for 3 s: no heartbeat yet (10 s)

        carol.Abort(); // no close frame: a crashed browser
        await carol.DisposeAsync();
        Assert.Equal(carol.Id, Id(await ann.ExpectAsync("participant-away")));
        Assert.Equal(carol.Id, Id(await bob.ExpectAsync("participant-away")));

        await ann.SendAsync(new { type = "peer-lost", id = carol.Id });
        await ann.SendAsync(new { type = "peer-lost", id = dave.Id });
        var left = await ann.ExpectAsync("participant-left");
        Assert.Equal(carol.Id, Id(left));
        Assert.Equal("disconnected", left.GetProperty("reason").GetString());
        Assert.Equal(carol.Id, Id(await bob.ExpectAsync("participant-left")));

        // Dave's socket is open: he is pinged and has PeerLostCheckSeconds (3 s) to answer, as before.
        await dave.ExpectAsync("ping");
        server.Time.Advance(TimeSpan.FromSeconds(2.9));
        await ann.AssertAliveAsync(); // no participant-left for Dave yet
        server.Time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.Equal(dave.Id, Id(await ann.ExpectAsync("participant-left")));

        // Carol's token still works: she comes back as a new member of the room with her id (the grace period is over for her).
        await using var carolAgain = await server.ConnectAsync();
        var joined = await carolAgain.ResumeAsync("dropped", Token(carol), "Carol");
        Assert.False(joined.GetProperty("resumed").GetBoolean());
        Assert.Equal(carol.Id, carolAgain.Id);
        var back = await ann.ExpectAsync("participant-joined");
        Assert.Equal(carol.Id, back.GetProperty("participant").GetProperty("id").GetString());
        Assert.True(back.GetProperty("resumed").GetBoolean());
    }

    [Fact]
    public async Task A_participant_whose_socket_drops_while_a_peer_lost_check_waits_is_announced_left_at_once()
    {
        await using var ann = await server.JoinAsync("dropped-checking", "Ann");
        var ghost = await server.ConnectAsync(answersHeartbeats: false);
        await ghost.JoinAsync("dropped-checking", "Ghost");
        await ann.ExpectAsync("participant-joined");
        server.Time.Advance(TimeSpan.FromSeconds(3));

        await ann.SendAsync(new { type = "peer-lost", id = ghost.Id });
        Assert.Equal("ping", (await ghost.ReceiveAsync()).GetProperty("type").GetString());
        ghost.Abort();
        await ghost.DisposeAsync();

        var left = await ann.ExpectAsync("participant-left");
        Assert.Equal(ghost.Id, Id(left));
        Assert.Equal("disconnected", left.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_client_that_closes_to_reconnect_is_not_announced_away_and_a_peer_lost_report_keeps_its_place()
    {
        await using var ann = await server.JoinAsync("dropped-4000", "Ann");
        var bob = await server.JoinAsync("dropped-4000", "Bob");
        await ann.ExpectAsync("participant-joined");
        server.Time.Advance(TimeSpan.FromSeconds(3));

        await bob.CloseAsync((WebSocketCloseStatus)4000); // "reconnecting": its client is alive
        await bob.DisposeAsync();
        await server.WaitUntilSessionsAsync(1);
        await ann.SendAsync(new { type = "peer-lost", id = bob.Id });
        await ann.AssertAliveAsync(); // neither participant-away nor participant-left

        await using var bobAgain = await server.ConnectAsync();
        var joined = await bobAgain.ResumeAsync("dropped-4000", Token(bob), "Bob");
        Assert.True(joined.GetProperty("resumed").GetBoolean());
    }

    [Fact]
    public async Task A_dropped_participant_that_resumes_before_any_report_stays()
    {
        await using var ann = await server.JoinAsync("dropped-back", "Ann");
        var bob = await server.JoinAsync("dropped-back", "Bob");
        await ann.ExpectAsync("participant-joined");

        bob.Abort();
        await bob.DisposeAsync();
        Assert.Equal(bob.Id, Id(await ann.ExpectAsync("participant-away")));
        await using var bobAgain = await server.ConnectAsync();
        Assert.True((await bobAgain.ResumeAsync("dropped-back", Token(bob), "Bob")).GetProperty("resumed").GetBoolean());
        Assert.True((await ann.ExpectAsync("participant-joined")).GetProperty("resumed").GetBoolean());

        // A report that was on its way meets an open socket that was just heard from: no check, no leave.
        await ann.SendAsync(new { type = "peer-lost", id = bob.Id });
        await ann.AssertAliveAsync();
        await bobAgain.AssertAliveAsync();
    }
}
