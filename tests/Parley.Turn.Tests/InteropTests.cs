using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Parley.Stun;
using Parley.Stun.Attributes;
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
/// Real sockets on 127.0.0.1 against coturn's test clients, which we did not write. uclient runs as its authors
/// run it: channels by default (it picks channel numbers at random in RFC 5766's 0x4000-0x7FFF, all of which the
/// server accepts), RTP/RTCP pairs unless -c (EVEN-PORT with R=1 reserves port N+1, and a second Allocate redeems
/// the RESERVATION-TOKEN), 10 clients at once, and each transport: UDP, TCP (-t), TLS (-S), to turnutils_peer
/// (-r) or client to client (-y). -s (Send and Data indications instead of channels) and -D (padded ChannelData)
/// are modes of their own, each with a test. Every run must lose nothing.
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

    /// <summary>Turn:IoUring for this run: the event loops' sends and reads through io_uring, or one system call each.</summary>
    protected virtual bool IoUring => true;

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
            ["Turn:IoUring"] = IoUring ? "true" : "false",
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
        Assert.All(server.Loops, loop => Assert.Equal(IoUring && UdpEventLoopTests.IoUringAvailable, loop.UsesIoUring));
    }

    [InteropFact]
    public async Task Stunclient_gets_its_mapped_address()
    {
        (int exit, string output) = await RunAsync(Tool("turnutils_stunclient"), $"-p {_port} 127.0.0.1");
        Assert.True(exit == 0, output);
        Assert.Matches(@"UDP reflexive addr: 127\.0\.0\.1:\d+", output);
    }

    [Fact]
    public async Task A_binding_with_an_unknown_comprehension_required_attribute_gets_420_listing_it()
    {
        // CHANGE-REQUEST (RFC 5780, 0x0003) is what turnutils_stunclient -f sends; this server does not do RFC 5780.
        // A raw socket, as stunclient -f also waits for an answer at RESPONSE-PORT, which this server never sends.
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Connect(IPAddress.Loopback, _port);
        var transaction = TransactionId.NewId();
        byte[] request = StunMessage.Build(StunMessageType.BindingRequest, transaction,
            new RawSetter(0x0003, [0, 0, 0, 6]), new RawSetter(0x8055, [1]), new Fingerprint());
        await socket.SendAsync(request);
        var buffer = new byte[1500];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        int received = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);

        Assert.True(StunMessage.TryRead(buffer.AsSpan(0, received), out StunMessage reply, out var error), error.ToString());
        Assert.Equal(transaction, reply.TransactionId);
        Assert.Equal(StunClass.ErrorResponse, reply.Type.Class);
        Assert.True(reply.TryGet(out ErrorCode code, out _));
        Assert.Equal(StunErrorCode.UnknownAttribute, code.Code);
        Assert.True(reply.TryGet(out UnknownAttributes unknown, out _));
        Assert.Equal([(StunAttributeType)0x0003], unknown.Types.ToArray());
        Assert.True(received <= 4 * request.Length);
    }

    [InteropFact]
    public async Task Uclient_client_to_client_over_udp_loses_nothing()
    {
        string output = await RunUclientAsync($"-y -n 100 -m 10 -e 127.0.0.1 -p {_port} -W {Secret} -u alice 127.0.0.1");
        AssertNoLoss(output);
    }

    [InteropFact]
    public async Task Uclient_client_to_client_over_tcp_loses_nothing()
    {
        string output = await RunUclientAsync($"-t -y -n 100 -m 10 -e 127.0.0.1 -p {_port} -W {Secret} -u alice 127.0.0.1");
        AssertNoLoss(output);
    }

    [InteropFact]
    public async Task Uclient_client_to_client_over_tls_loses_nothing()
    {
        // -S: TLS for TCP (RFC 7065 turns:); uclient does not verify the certificate without -E. It first tries
        // TLS 1.0/1.1 contexts (refused by the server's OS defaults) and then connects with TLS 1.2/1.3.
        string output = await RunUclientAsync($"-S -t -y -n 100 -m 10 -e 127.0.0.1 -p {_tlsPort} -W {Secret} -u alice 127.0.0.1");
        AssertNoLoss(output);
        Assert.Contains("client session connected with cipher", output, StringComparison.Ordinal);
    }

    [InteropFact]
    public async Task Uclient_to_turnutils_peer_over_tls_loses_nothing()
    {
        await WithPeerAsync(async peerPort =>
        {
            string output = await RunUclientAsync($"-S -t -n 100 -m 10 -e 127.0.0.1 -r {peerPort} -p {_tlsPort} -W {Secret} -u bob 127.0.0.1");
            AssertNoLoss(output);
            Assert.Contains("client session connected with cipher", output, StringComparison.Ordinal);
        });
    }

    [InteropFact]
    public async Task Uclient_to_turnutils_peer_over_udp_loses_nothing()
    {
        await WithPeerAsync(async peerPort =>
            AssertNoLoss(await RunUclientAsync($"-n 100 -m 10 -e 127.0.0.1 -r {peerPort} -p {_port} -W {Secret} -u bob 127.0.0.1")));
    }

    [InteropFact]
    public async Task Uclient_to_turnutils_peer_over_tcp_loses_nothing()
    {
        await WithPeerAsync(async peerPort =>
            AssertNoLoss(await RunUclientAsync($"-t -n 100 -m 10 -e 127.0.0.1 -r {peerPort} -p {_port} -W {Secret} -u bob 127.0.0.1")));
    }

    [InteropFact]
    public async Task Uclient_with_send_indications_loses_nothing()
    {
        // -s on purpose: Send indications up and Data indications down (RFC 8656 §11) instead of channels.
        await WithPeerAsync(async peerPort =>
            AssertNoLoss(await RunUclientAsync($"-s -n 100 -m 10 -e 127.0.0.1 -r {peerPort} -p {_port} -W {Secret} -u bob 127.0.0.1")));
    }

    [InteropFact]
    public async Task Uclient_with_padded_channel_data_over_udp_loses_nothing()
    {
        // -D pads every ChannelData to 4 bytes, optional over UDP (RFC 8656 §12.5); 101-byte messages make 3
        // bytes of padding each, and uclient then insists the server's ChannelData is whole-word too.
        await WithPeerAsync(async peerPort =>
            AssertNoLoss(await RunUclientAsync($"-D -l 101 -n 100 -m 10 -e 127.0.0.1 -r {peerPort} -p {_port} -W {Secret} -u bob 127.0.0.1")));
    }

    [InteropFact]
    public async Task Uclient_with_padded_channel_data_client_to_client_loses_nothing()
    {
        string output = await RunUclientAsync($"-D -l 101 -y -n 100 -m 10 -e 127.0.0.1 -p {_port} -W {Secret} -u alice 127.0.0.1");
        AssertNoLoss(output);
    }

    [InteropFact]
    public async Task Uclient_with_a_wrong_secret_relays_nothing()
    {
        string output = await RunUclientAsync($"-y -n 5 -m 2 -e 127.0.0.1 -p {_port} -W wrong-secret-0123456789 -u mallory 127.0.0.1",
            expectSuccess: false);
        Match totals = Totals().Match(output);
        Assert.False(totals.Success && totals.Groups[2].Value != "0", output);
    }

    [InteropFact]
    public async Task Static_credentials_issued_by_the_issuer_work_with_uclient()
    {
        TurnCredential credential = _host!.Services.GetRequiredService<TurnCredentialIssuer>().Issue("carol", TimeSpan.FromMinutes(5));
        string output = await RunUclientAsync($"-y -n 50 -m 2 -e 127.0.0.1 -p {_port} -u {credential.Username} -w {credential.Password} 127.0.0.1");
        AssertNoLoss(output);
    }

    internal static async Task WithPeerAsync(Func<int, Task> test)
    {
        // turnutils_peer listens on the port and the next one (uclient sends RTCP to the port + 1).
        int peerPort = FreePort(pair: true);
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

    private readonly record struct RawSetter(ushort Type, byte[] Value) : IStunSetter
    {
        public bool TryAddTo(ref StunMessageWriter writer) => writer.TryAddAttribute((StunAttributeType)Type, Value);
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

    /// <summary>A port free for TCP and UDP on 127.0.0.1; with <paramref name="pair"/>, the next port is free for UDP too.</summary>
    internal static int FreePort(bool pair = false)
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
                if (pair)
                {
                    using var next = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                    next.Bind(new IPEndPoint(IPAddress.Loopback, port + 1));
                }

                return port;
            }
            catch (SocketException)
            {
            }
        }

        throw new InvalidOperationException("No free port.");
    }
}
