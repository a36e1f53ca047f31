using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Parley.Turn.Auth;

namespace Parley.Turn.Tests;

/// <summary>Skipped only when coturn's turnutils are not installed.</summary>
public sealed class InteropFactAttribute : FactAttribute
{
    public InteropFactAttribute()
    {
        if (!File.Exists(InteropTests.Tool("turnutils_uclient")) || !File.Exists(InteropTests.Tool("turnutils_peer"))
            || !File.Exists(InteropTests.Tool("turnutils_stunclient")))
        {
            Skip = "coturn's turnutils_uclient/turnutils_peer/turnutils_stunclient are not installed";
        }
    }
}

/// <summary>
/// Real sockets on 127.0.0.1 against coturn's test clients, which we did not write. uclient runs with -s (Send
/// and Data indications): it picks channel numbers at random in RFC 5766's 0x4000-0x7FFF, and RFC 8656 §12
/// makes 0x5000-0x7FFF reserved (ChannelBind answers 400), so its channel mode fails at random. The channel
/// path is covered by HandlerTests.
/// </summary>
public partial class InteropTests : IAsyncLifetime
{
    private const string Secret = "interop-secret-0123456789";
    private readonly TestCertificate _certificate = new();
    private IHost? _host;
    private int _port;
    private int _tlsPort;

    /// <summary>Turn:UdpEventLoops for this run: the Linux x86-64 and arm64 epoll loops, or the portable async loops.</summary>
    protected virtual bool UdpEventLoops => true;

    public static string Tool(string name) =>
        new[] { "/usr/bin", "/usr/local/bin" }.Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists) ?? Path.Combine("/usr/bin", name);

    public async Task InitializeAsync()
    {
        _port = FreePort();
        _tlsPort = FreePort();
        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Turn:Port"] = _port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Turn:ListenAddress"] = "127.0.0.1",
            ["Turn:RelayAddress"] = "127.0.0.1",
            ["Turn:AllowedPeerRanges:0"] = "127.0.0.0/8",
            ["Turn:SharedSecrets:0"] = Secret,
            ["Turn:TlsPort"] = _tlsPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Kestrel:Certificates:Default:Path"] = _certificate.PfxPath,
            ["Kestrel:Certificates:Default:Password"] = TestCertificate.Password,
            ["Turn:UdpEventLoops"] = UdpEventLoops ? "true" : "false",
        });
        builder.Services.AddParleyTurn();
        _host = builder.Build();
        await _host.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync();
            _host.Dispose();
        }

        _certificate.Dispose();
    }

    [Fact]
    public void Udp_is_read_by_the_configured_loops()
    {
        var server = _host!.Services.GetRequiredService<TurnServer>();
        Assert.Equal(UdpEventLoops && Parley.Turn.Sockets.LinuxNative.IsSupported, server.Loops.Length > 0);
    }

    [InteropFact]
    public async Task Stunclient_gets_its_mapped_address()
    {
        (int exit, string output) = await RunAsync(Tool("turnutils_stunclient"), $"-p {_port} 127.0.0.1");
        Assert.True(exit == 0, output);
        Assert.Matches(@"UDP reflexive addr: 127\.0\.0\.1:\d+", output);
    }

    [InteropFact]
    public async Task Uclient_client_to_client_over_udp_loses_nothing()
    {
        string output = await RunUclientAsync($"-s -y -c -n 100 -m 2 -e 127.0.0.1 -p {_port} -W {Secret} -u alice 127.0.0.1");
        AssertNoLoss(output);
    }

    [InteropFact]
    public async Task Uclient_client_to_client_over_tcp_loses_nothing()
    {
        string output = await RunUclientAsync($"-s -t -y -c -n 100 -m 2 -e 127.0.0.1 -p {_port} -W {Secret} -u alice 127.0.0.1");
        AssertNoLoss(output);
    }

    [InteropFact]
    public async Task Uclient_client_to_client_over_tls_loses_nothing()
    {
        // -S: TLS for TCP (RFC 7065 turns:); uclient does not verify the certificate without -E. It first tries
        // TLS 1.0/1.1 contexts (refused by the server's OS defaults) and then connects with TLS 1.2/1.3.
        string output = await RunUclientAsync($"-S -s -t -y -c -n 100 -m 2 -e 127.0.0.1 -p {_tlsPort} -W {Secret} -u alice 127.0.0.1");
        AssertNoLoss(output);
        Assert.Contains("client session connected with cipher", output, StringComparison.Ordinal);
    }

    [InteropFact]
    public async Task Uclient_to_turnutils_peer_over_tls_loses_nothing()
    {
        await WithPeerAsync(async peerPort =>
        {
            string output = await RunUclientAsync($"-S -s -t -c -n 100 -m 2 -e 127.0.0.1 -r {peerPort} -p {_tlsPort} -W {Secret} -u bob 127.0.0.1");
            AssertNoLoss(output);
            Assert.Contains("client session connected with cipher", output, StringComparison.Ordinal);
        });
    }

    [InteropFact]
    public async Task Uclient_to_turnutils_peer_over_udp_loses_nothing()
    {
        await WithPeerAsync(async peerPort =>
            AssertNoLoss(await RunUclientAsync($"-s -c -n 100 -m 2 -e 127.0.0.1 -r {peerPort} -p {_port} -W {Secret} -u bob 127.0.0.1")));
    }

    [InteropFact]
    public async Task Uclient_to_turnutils_peer_over_tcp_loses_nothing()
    {
        await WithPeerAsync(async peerPort =>
            AssertNoLoss(await RunUclientAsync($"-s -t -c -n 100 -m 2 -e 127.0.0.1 -r {peerPort} -p {_port} -W {Secret} -u bob 127.0.0.1")));
    }

    [InteropFact]
    public async Task Uclient_with_a_wrong_secret_relays_nothing()
    {
        string output = await RunUclientAsync($"-s -y -c -n 5 -m 2 -e 127.0.0.1 -p {_port} -W wrong-secret-0123456789 -u mallory 127.0.0.1",
            expectSuccess: false);
        Match totals = Totals().Match(output);
        Assert.False(totals.Success && totals.Groups[2].Value != "0", output);
    }

    [InteropFact]
    public async Task Static_credentials_issued_by_the_issuer_work_with_uclient()
    {
        TurnCredential credential = _host!.Services.GetRequiredService<TurnCredentialIssuer>().Issue("carol", TimeSpan.FromMinutes(5));
        string output = await RunUclientAsync($"-s -y -c -n 50 -m 2 -e 127.0.0.1 -p {_port} -u {credential.Username} -w {credential.Password} 127.0.0.1");
        AssertNoLoss(output);
    }

    internal static async Task WithPeerAsync(Func<int, Task> test)
    {
        int peerPort = FreePort();
        using var peer = Process.Start(new ProcessStartInfo(Tool("turnutils_peer"), $"-L 127.0.0.1 -p {peerPort}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        try
        {
            await WaitForUdpPortAsync(peerPort);
            await test(peerPort);
        }
        finally
        {
            peer.Kill();
            await peer.WaitForExitAsync();
        }
    }

    internal static async Task<string> RunUclientAsync(string arguments, bool expectSuccess = true)
    {
        (int exit, string output) = await RunAsync(Tool("turnutils_uclient"), arguments);
        if (expectSuccess)
        {
            Assert.True(exit == 0, $"exit {exit}\n{output}");
        }

        return output;
    }

    internal static void AssertNoLoss(string output)
    {
        Match match = LossLine().Match(output);
        Assert.True(match.Success, output);
        Assert.Equal("0", match.Groups[1].Value);
        Match totals = Totals().Match(output);
        Assert.True(totals.Success, output);
        int sent = int.Parse(totals.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        int received = int.Parse(totals.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(sent > 0, output);
        Assert.Equal(sent, received);
    }

    [GeneratedRegex(@"Total lost packets (\d+)")]
    private static partial Regex LossLine();

    [GeneratedRegex(@"start_mclient: tot_send_msgs=(\d+), tot_recv_msgs=(\d+)")]
    private static partial Regex Totals();

    private static async Task<(int Exit, string Output)> RunAsync(string file, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return (-1, "TIMEOUT\n" + await stdout + await stderr);
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    private static async Task WaitForUdpPortAsync(int port)
    {
        for (int i = 0; i < 50; i++)
        {
            try
            {
                using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                probe.Bind(new IPEndPoint(IPAddress.Loopback, port));
            }
            catch (SocketException)
            {
                return; // Bound by the peer.
            }

            await Task.Delay(50);
        }
    }

    internal static int FreePort()
    {
        for (int attempt = 0; attempt < 100; attempt++)
        {
            using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            tcp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            int port = ((IPEndPoint)tcp.LocalEndPoint!).Port;
            try
            {
                using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                udp.Bind(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException)
            {
            }
        }

        throw new InvalidOperationException("No free port.");
    }
}
