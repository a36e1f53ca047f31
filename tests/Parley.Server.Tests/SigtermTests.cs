using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;

namespace Parley.Server.Tests;

/// <summary>The real server process under SIGTERM: clients get <c>goaway</c> and close 1012, and the process exits cleanly.</summary>
public sealed class SigtermTests
{
    [Fact]
    public async Task Sigterm_tells_clients_to_come_back_and_the_process_exits_with_zero()
    {
        var port = FreeTcpPort();
        using var process = Process.Start(new ProcessStartInfo("dotnet")
        {
            ArgumentList = { typeof(Program).Assembly.Location, "--urls", $"http://127.0.0.1:{port}", "--Turn:Enabled=false", "--Logging:LogLevel:Default=Warning" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var address = new Uri($"ws://127.0.0.1:{port}/ws");
            await using var ann = await ConnectWhenUpAsync(address);
            await ann.JoinAsync("sigterm", "Ann");

            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            var messages = await ann.ReadUntilClosedAsync();
            Assert.Equal("goaway", Assert.Single(messages).GetProperty("type").GetString());
            Assert.Equal((WebSocketCloseStatus)1012, ann.CloseStatus);
            await ann.DisposeAsync(); // answers the close, as a browser does

            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await process.WaitForExitAsync(deadline.Token);
            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }

    private static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
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
