using System.Net.WebSockets;

namespace Parley.Server.Tests;

/// <summary>
/// <c>peer-lost</c>: a room mate's peer connection says a participant is gone; the server checks it at once instead of
/// waiting up to a minute for the heartbeat (fake clock: quiet for 2 s, then 3 s to answer).
/// </summary>
public sealed class PeerLostTests : IDisposable
{
    private readonly ParleyServer server = new();

    public void Dispose() => server.Dispose();

    [Theory, ClassData(typeof(AllTransports))]
    public async Task A_reported_participant_that_does_not_answer_is_announced_as_left_within_seconds(string transport)
    {
        await using var ann = await server.JoinAsync("lost-silent", "Ann", transport);
        await using var ghost = await server.ConnectAsync(transport, answersHeartbeats: false);
        await ghost.JoinAsync("lost-silent", "Ghost");
        await ann.ExpectAsync("participant-joined");
        server.Time.Advance(TimeSpan.FromSeconds(3)); // no heartbeat yet (10 s), and Ghost has been quiet for 3 s

        await ann.SendAsync(new { type = "peer-lost", id = ghost.Id });
        Assert.Equal("ping", (await ghost.ReceiveAsync()).GetProperty("type").GetString());
        await ann.AssertAliveAsync();
        server.Time.Advance(TimeSpan.FromSeconds(2.9));
        await ann.AssertAliveAsync(); // not yet
        server.Time.Advance(TimeSpan.FromSeconds(0.1));

        var left = await ann.ExpectAsync("participant-left");
        Assert.Equal(ghost.Id, left.GetProperty("id").GetString());
        Assert.Equal("disconnected", left.GetProperty("reason").GetString());
        var messages = await ghost.ReadUntilClosedAsync();
        Assert.Equal("heartbeat-timeout", messages[^1].GetProperty("code").GetString());
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, ghost.CloseStatus);
    }

    [Fact]
    public async Task A_reported_participant_that_answers_stays_and_reports_about_others_are_harmless()
    {
        await using var ann = await server.JoinAsync("lost-alive", "Ann");
        await using var bob = await server.JoinAsync("lost-alive", "Bob"); // answers pings with pong
        await ann.ExpectAsync("participant-joined");
        server.Time.Advance(TimeSpan.FromSeconds(3));

        await ann.SendAsync(new { type = "peer-lost", id = bob.Id });
        await ann.SendAsync(new { type = "peer-lost", id = bob.Id }); // one check at a time
        await ann.SendAsync(new { type = "peer-lost", id = ann.Id }); // oneself: ignored
        await ann.SendAsync(new { type = "peer-lost", id = "p_nobody" }); // not in the room: ignored
        await ann.AssertAliveAsync();
        await bob.AssertAliveAsync(); // after Bob's automatic pong
        server.Time.Advance(TimeSpan.FromSeconds(3));

        await ann.AssertAliveAsync();
        await bob.AssertAliveAsync();
        await ann.SendAsync(new { type = "chat", text = "still here?" });
        Assert.Equal("chat", (await bob.ExpectAsync("chat")).GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_participant_heard_from_within_2_s_is_not_checked()
    {
        await using var ann = await server.JoinAsync("lost-recent", "Ann");
        await using var ghost = await server.ConnectAsync(answersHeartbeats: false);
        await ghost.JoinAsync("lost-recent", "Ghost");
        await ann.ExpectAsync("participant-joined");
        server.Time.Advance(TimeSpan.FromSeconds(1.5));

        await ann.SendAsync(new { type = "peer-lost", id = ghost.Id });
        await ann.AssertAliveAsync();
        await ghost.AssertAliveAsync(); // a ping from the server would arrive before this pong
        server.Time.Advance(TimeSpan.FromSeconds(5));
        await ghost.AssertAliveAsync();
    }

    [Theory]
    [InlineData("""{"type":"peer-lost"}""", "invalid-message")]
    [InlineData("""{"type":"peer-lost","id":7}""", "malformed-json")]
    public async Task A_bad_report_gets_an_error(string frame, string code)
    {
        await using var ann = await server.JoinAsync("lost-bad", "Ann");
        await ann.SendTextAsync(frame);
        var error = await ann.ExpectAsync("error");
        Assert.Equal(code, error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Off_with_PeerLostCheckSeconds_0()
    {
        using var quiet = new ParleyServer(new() { ["Signaling:PeerLostCheckSeconds"] = "0" });
        await using var ann = await quiet.JoinAsync("lost-off", "Ann");
        await using var ghost = await quiet.ConnectAsync(answersHeartbeats: false);
        await ghost.JoinAsync("lost-off", "Ghost");
        await ann.ExpectAsync("participant-joined");
        quiet.Time.Advance(TimeSpan.FromSeconds(3));
        await ann.SendAsync(new { type = "peer-lost", id = ghost.Id });
        await ann.AssertAliveAsync();
        await ghost.AssertAliveAsync();
    }
}
