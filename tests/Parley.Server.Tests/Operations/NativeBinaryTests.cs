using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Net.WebSockets;
using Parley.Stun;
using Parley.Stun.Attributes;
using Parley.Tests.Shared;

namespace Parley.Server.Tests.Operations;

/// <summary>Runs where test.sh could build the native (AOT) binary (PARLEY_NATIVE_SERVER); skipped, and counted so, elsewhere.</summary>
public sealed class NativeFactAttribute : FactAttribute
{
    public NativeFactAttribute()
    {
        if (NativeBinaryTests.Binary is null)
        {
            Skip = "No native build of Parley.Server (PARLEY_NATIVE_SERVER, set by test.sh when the AOT toolchain is there)";
        }
    }
}

/// <summary>
/// The native binary (<c>dotnet publish -r linux-x64 -p:PublishAot=true</c>), as an operator runs it: it serves, its
/// STUN/TURN server answers, SIGTERM ends it with 0, and what the native build could break (reflection over the options
/// types in the start-up check, the command line, generated JSON and binding) works as in the JIT build.
/// </summary>
public sealed class NativeBinaryTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly string workingDirectory = Directory.CreateTempSubdirectory("parley-native-").FullName;

    internal static string? Binary => BuiltServer.Find("PARLEY_NATIVE_SERVER");

    public void Dispose() => Directory.Delete(workingDirectory, recursive: true);

    [NativeFact]
    public async Task It_serves_health_a_websocket_join_and_stun_then_stops_cleanly_on_sigterm()
    {
        var http = FreePorts.Tcp();
        var turn = FreePorts.UdpAndTcp();
        using var server = ParleyProcess.Start(
            ["--urls", $"http://127.0.0.1:{http}", $"--Turn:Port={turn}", $"--Turn:TlsPort={FreePorts.Tcp()}", "--Turn:ListenAddress=127.0.0.1", "--Turn:RelayAddress=127.0.0.1"],
            workingDirectory: workingDirectory, executable: Binary);
        await server.WaitForOutputAsync("Application started", Deadline);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{http}") };

        Assert.Equal("ok\n", await client.GetStringAsync(new Uri("/healthz", UriKind.Relative)));
        Assert.Equal("ready\n", await client.GetStringAsync(new Uri("/readyz", UriKind.Relative)));
        Assert.Contains("<html", await client.GetStringAsync(new Uri("/", UriKind.Relative)), StringComparison.OrdinalIgnoreCase); // web/ beside the binary
        // Idle memory (docs/benchmarks.md): nothing has needed a random secret or a MAC yet, so OpenSSL is not loaded.
        Assert.DoesNotContain("libcrypto", await File.ReadAllTextAsync($"/proc/{server.Id}/maps"), StringComparison.Ordinal);

        await using (var ann = await SignalingClient.ConnectAsync(new Uri($"ws://127.0.0.1:{http}/ws")))
        {
            await ann.JoinAsync("native", "Ann");
            Assert.Equal("native", ann.Joined.GetProperty("room").GetString());
            // The server counts a join just after sending `joined`, so the client may scrape before it does (CI saw it
            // once): scrape until the counter shows, for a few seconds at most.
            var metrics = "";
            for (var until = DateTime.UtcNow + TimeSpan.FromSeconds(5); !metrics.Contains("parley_signaling_joins_total", StringComparison.Ordinal)
                && DateTime.UtcNow < until; await Task.Delay(100))
            {
                metrics = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
            }

            Assert.Contains("parley_signaling_joins_total", metrics, StringComparison.Ordinal);
            // The join handed out TURN credentials (an HMAC with the random secret): OpenSSL is loaded now.
            Assert.Contains("libcrypto", await File.ReadAllTextAsync($"/proc/{server.Id}/maps"), StringComparison.Ordinal);
        }

        using (var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0)))
        {
            await udp.SendAsync(StunMessage.Build(StunMessageType.BindingRequest, TransactionId.NewId()), new IPEndPoint(IPAddress.Loopback, turn));
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            var reply = await udp.ReceiveAsync(timeout.Token);
            Assert.True(StunMessage.TryRead(reply.Buffer, out var response, out var error), error.ToString());
            Assert.Equal(StunMessageType.BindingSuccess, response.Type);
            Assert.True(XorMappedAddress.TryGetFrom(response, out var mapped, out error), error.ToString());
            Assert.Equal((IPEndPoint)udp.Client.LocalEndPoint!, mapped.Address.ToIPEndPoint());
        }

        await server.TerminateAsync();
        Assert.Equal(0, await server.WaitForExitAsync(Deadline));
    }

    [NativeFact]
    public async Task Its_start_up_check_finds_unknown_keys_and_bad_values_by_reflection_as_the_jit_build_does()
    {
        using var server = ParleyProcess.Start(
            ["check-config", "--Turn:SharedSecret=0123456789abcdef0123", "--Signaling:IceServers:0:Usernme=x", "--Turn:StreamWithoutAllocationTimeout=02:00:00", "--Signaling:MaxParticipantsPerRoom=1"],
            workingDirectory: workingDirectory, executable: Binary);

        Assert.Equal(78, await server.WaitForExitAsync(Deadline));
        foreach (var expected in new[]
        {
            "Turn:SharedSecret is not an option; did you mean Turn:SharedSecrets?",
            "Signaling:IceServers:0:Usernme is not an option; did you mean Signaling:IceServers:0:Username?",
            "The field Turn:StreamWithoutAllocationTimeout must be between 00:00:01 and 01:00:00.",
            "The field Signaling:MaxParticipantsPerRoom must be between 2 and 256.",
        })
        {
            Assert.Contains(expected, server.Errors);
        }
    }

    [NativeFact]
    public async Task Its_commands_work_natively()
    {
        using (var version = ParleyProcess.Start(["--version"], workingDirectory: workingDirectory, executable: Binary))
        {
            Assert.Equal(0, await version.WaitForExitAsync(Deadline));
            Assert.Matches(@"^\d+\.\d+\.\d+", Assert.Single(version.Output, line => line.Length > 0));
        }

        using (var check = ParleyProcess.Start(["check-config", "--Auth:Keys:APIdev=native-secret-0123456789abcdef0123456789"], workingDirectory: workingDirectory, executable: Binary))
        {
            Assert.Equal(0, await check.WaitForExitAsync(Deadline));
            Assert.Contains("Auth:Keys:APIdev = (set, masked)", check.Output);
            Assert.Contains("Turn:Port = 3478", check.Output);
            Assert.DoesNotContain(check.Output, line => line.Contains("native-secret", StringComparison.Ordinal));
        }

        using var token = ParleyProcess.Start(["token", "--room", "lobby", "--identity", "alice", "--Auth:Keys:APIdev=native-secret-0123456789abcdef0123456789"],
            workingDirectory: workingDirectory, executable: Binary);
        Assert.Equal(0, await token.WaitForExitAsync(Deadline));
        Assert.Equal(3, Assert.Single(token.Output, line => line.Length > 0).Split('.').Length); // a JWT
    }
}
