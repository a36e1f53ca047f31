using System.Net.WebSockets;

namespace Parley.Server.Tests;

/// <summary>The server's heartbeat: <c>ping</c> every 10 s, and a connection silent for 25 s is closed (fake clock).</summary>
public sealed class HeartbeatTests : IDisposable
{
    private readonly ParleyServer server = new();

    public void Dispose() => server.Dispose();

    [Theory, ClassData(typeof(AllTransports))]
    public async Task The_server_pings_and_a_client_that_answers_pong_stays(string transport)
    {
        await using var ann = await server.ConnectAsync(transport, answersHeartbeats: false);
        await ann.JoinAsync("heartbeat-answer", "Ann");

        for (var beat = 0; beat < 6; beat++)
        {
            server.Time.Advance(TimeSpan.FromSeconds(10));
            Assert.Equal("ping", (await ann.ReceiveAsync()).GetProperty("type").GetString());
            await ann.SendAsync(new { type = "pong" });
            await server.WaitUntilEveryConnectionIsHeardNowAsync(); // before the clock moves on, or two pongs in flight look like 30 s of silence
        }

        await ann.AssertAliveAsync(); // a minute later, and no error for any pong
    }

    [Theory, ClassData(typeof(AllTransports))]
    public async Task A_silent_connection_is_closed_after_the_timeout_and_its_participant_keeps_its_place_for_the_grace_period(string transport)
    {
        await using var ann = await server.JoinAsync("heartbeat-silent", "Ann", transport);
        await using var ghost = await server.ConnectAsync(transport, answersHeartbeats: false);
        await ghost.JoinAsync("heartbeat-silent", "Ghost");
        await ann.ExpectAsync("participant-joined");

        // Pings at 10 s and 20 s; at 30 s Ghost has been silent for 30 s, more than the 25 s timeout.
        await server.AdvanceAsync(TimeSpan.FromSeconds(20), ann);
        Assert.Null(ghost.CloseStatus);
        await server.AdvanceAsync(TimeSpan.FromSeconds(10), ann);

        var messages = await ghost.ReadUntilClosedAsync();
        Assert.Equal(["ping", "ping", "error"], messages.Select(m => m.GetProperty("type").GetString()));
        Assert.Equal("heartbeat-timeout", messages[^1].GetProperty("code").GetString());
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, ghost.CloseStatus);

        // Away, not gone: the others hear of it when the 20 s grace period ends (bounded: 25 + 10 + 20 s).
        await server.AdvanceAsync(TimeSpan.FromSeconds(15), ann);
        await server.AdvanceAsync(TimeSpan.FromSeconds(5));
        var left = await ann.ExpectAsync("participant-left");
        Assert.Equal(ghost.Id, left.GetProperty("id").GetString());
        Assert.Equal("disconnected", left.GetProperty("reason").GetString());
    }
}
