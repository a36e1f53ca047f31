using System.Diagnostics;
using System.Net.WebSockets;

namespace Parley.Server.Tests;

/// <summary>The real server process under SIGTERM: clients get <c>goaway</c> and close 1012, and the process exits cleanly.</summary>
public sealed class SigtermTests
{
    [Fact]
    public async Task Sigterm_tells_clients_to_come_back_and_the_process_exits_with_zero()
    {
        var port = FreePorts.Tcp();
        using var process = ParleyProcess.Start(["--urls", $"http://127.0.0.1:{port}", "--Turn:Enabled=false", "--Logging:LogLevel:Default=Warning"]);
        var address = new Uri($"ws://127.0.0.1:{port}/ws");
        await using var ann = await ConnectWhenUpAsync(address);
        await ann.JoinAsync("sigterm", "Ann");

        await process.TerminateAsync();

        var messages = await ann.ReadUntilClosedAsync();
        Assert.Equal("goaway", Assert.Single(messages).GetProperty("type").GetString());
        Assert.Equal((WebSocketCloseStatus)1012, ann.CloseStatus);
        await ann.DisposeAsync(); // answers the close, as a browser does

        Assert.Equal(0, await process.WaitForExitAsync(TimeSpan.FromSeconds(20)));
    }

    /// <summary>Connects once the freshly started process listens (bounded: 30 s).</summary>
    private static async Task<SignalingClient> ConnectWhenUpAsync(Uri address)
    {
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return await SignalingClient.ConnectAsync(address);
            }
            catch (WebSocketException) when (stopwatch.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(100);
            }
        }
    }
}
