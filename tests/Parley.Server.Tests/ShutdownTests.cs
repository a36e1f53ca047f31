using System.Net.WebSockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Parley.Server.Tests;

/// <summary>Graceful shutdown: queued messages go out, then <c>goaway</c> and close 1012, and nobody is reported as left.</summary>
public sealed class ShutdownTests
{
    [Theory, ClassData(typeof(AllTransports))]
    public async Task Stopping_sends_what_was_queued_then_goaway_and_closes_with_service_restart(string transport)
    {
        using var server = new ParleyServer();
        await using var ann = await server.JoinAsync("shutdown", "Ann", transport);
        await using var bob = await server.JoinAsync("shutdown", "Bob", transport);
        await ann.ExpectAsync("participant-joined");

        for (var i = 0; i < 50; i++)
        {
            await ann.SendAsync(new { type = "candidate", to = bob.Id, candidate = new { candidate = $"candidate:{i} 1 udp 1 127.0.0.1 9 typ host" } });
        }

        await ann.AssertAliveAsync(); // the server has taken all 50 before it is told to stop
        var signaling = server.Signaling; // once every session has ended, the host may finish stopping and dispose its services
        server.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();

        var bobGot = await bob.ReadUntilClosedAsync();
        Assert.Equal(50, bobGot.Count(m => m.GetProperty("type").GetString() == "candidate"));
        var goaway = bobGot[^1];
        Assert.Equal("goaway", goaway.GetProperty("type").GetString());
        Assert.Equal("shutdown", goaway.GetProperty("reason").GetString());
        Assert.Equal(1000, goaway.GetProperty("retryAfterMs").GetInt32());
        Assert.Equal((WebSocketCloseStatus)1012, bob.CloseStatus);

        var annGot = await ann.ReadUntilClosedAsync();
        Assert.Equal(["goaway"], annGot.Select(m => m.GetProperty("type").GetString()));
        Assert.Equal((WebSocketCloseStatus)1012, ann.CloseStatus);

        // Once the clients answer the close, every session has ended and stopping can finish.
        await ann.DisposeAsync();
        await bob.DisposeAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await signaling.WaitForSessionsAsync(deadline.Token);
    }

    [Theory, ClassData(typeof(AllTransports))]
    public async Task A_connection_opened_while_stopping_is_told_to_go_at_once(string transport)
    {
        using var server = new ParleyServer();
        server.Signaling.BeginShutdown();

        await using var late = await server.ConnectAsync(transport);

        Assert.Equal("goaway", (await late.ReceiveAsync()).GetProperty("type").GetString());
        Assert.Empty(await late.ReadUntilClosedAsync());
    }
}
