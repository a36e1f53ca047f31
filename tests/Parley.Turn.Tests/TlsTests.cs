using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Parley.Stun;
using Parley.Stun.Attributes;
using Parley.Turn.Auth;
using Parley.Turn.Relay;

namespace Parley.Turn.Tests;

/// <summary>TURN over TLS (RFC 8656 §3.1, RFC 7065) with a self-signed certificate, on real sockets on 127.0.0.1.</summary>
public sealed class TlsTests : IDisposable
{
    private const string Secret = "tls-test-secret-0123456789";
    private readonly TestCertificate _certificate = new();

    public void Dispose() => _certificate.Dispose();

    internal static async Task<IHost> StartAsync(int port, int tlsPort, IDictionary<string, string?> extra, LogCollector? logs = null, TimeProvider? time = null)
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        var settings = new Dictionary<string, string?>
        {
            ["Turn:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Turn:TlsPort"] = tlsPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Turn:ListenAddress"] = "127.0.0.1",
            ["Turn:RelayAddress"] = "127.0.0.1",
            ["Turn:AllowedPeerRanges:0"] = "127.0.0.0/8",
            ["Turn:SharedSecrets:0"] = Secret,
        };
        foreach (KeyValuePair<string, string?> pair in extra)
        {
            settings[pair.Key] = pair.Value;
        }

        builder.Configuration.AddInMemoryCollection(settings);
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs);
        }

        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        builder.Services.AddParleyTurn();
        IHost host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private Dictionary<string, string?> KestrelPfx() => new()
    {
        ["Kestrel:Certificates:Default:Path"] = _certificate.PfxPath,
        ["Kestrel:Certificates:Default:Password"] = TestCertificate.Password,
    };

    [Fact]
    public async Task Binding_and_authenticated_allocate_over_tls_with_the_kestrel_pfx_certificate()
    {
        int tlsPort = InteropTests.FreePort();
        using IHost host = await StartAsync(InteropTests.FreePort(), tlsPort, KestrelPfx());
        await using TlsClient client = await TlsClient.ConnectAsync(tlsPort, _certificate.Thumbprint);

        Response binding = await client.RequestAsync(StunMessage.Build(new StunMessageType(StunMethod.Binding, StunClass.Request), TransactionId.NewId()));
        Assert.Equal(StunClass.SuccessResponse, binding.Class);
        Assert.Equal(new TransportAddress(client.LocalEndPoint), binding.Mapped);

        (TestClient turn, _) = await AllocateAsync(host, client);
        Assert.NotNull(turn.Nonce);
        await host.StopAsync();
    }

    [Fact]
    public async Task Channel_data_is_relayed_both_ways_over_tls_with_a_pem_override_certificate()
    {
        int tlsPort = InteropTests.FreePort();
        using IHost host = await StartAsync(InteropTests.FreePort(), tlsPort, new Dictionary<string, string?>
        {
            ["Kestrel:Certificates:Default:Path"] = "/nonexistent/ignored-because-overridden.pfx",
            ["Turn:CertificatePath"] = _certificate.PemPath,
            ["Turn:CertificateKeyPath"] = _certificate.KeyPath,
        });
        await using TlsClient client = await TlsClient.ConnectAsync(tlsPort, _certificate.Thumbprint);
        (TestClient turn, Response allocated) = await AllocateAsync(host, client);
        TransportAddress relayed = allocated.Relayed!.Value;

        using var peer = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        peer.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var peerAddress = new TransportAddress((IPEndPoint)peer.LocalEndPoint!);
        Response bound = await client.RequestAsync(turn.Build(StunMethod.ChannelBind, TransactionId.NewId(),
            new ChannelNumber(0x4001), new XorPeerAddress(peerAddress)));
        Assert.Equal(StunClass.SuccessResponse, bound.Class);

        // Client -> peer: 5 bytes of ChannelData, padded to 12 on the stream (RFC 8656 §12.5).
        var frame = new byte[ChannelData.GetPaddedLength(5)];
        Assert.True(ChannelData.TryWrite(frame, 0x4001, "hello"u8, pad: true, out _, out _));
        await client.SendAsync(frame);
        var received = new byte[64];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        SocketReceiveFromResult fromClient = await peer.ReceiveFromAsync(received, SocketFlags.None,
            new IPEndPoint(IPAddress.Any, 0), timeout.Token);
        Assert.Equal("hello"u8.ToArray(), received[..fromClient.ReceivedBytes]);
        Assert.Equal(relayed, new TransportAddress((IPEndPoint)fromClient.RemoteEndPoint));

        // Peer -> client: arrives as padded ChannelData on the TLS stream.
        await peer.SendToAsync("world!"u8.ToArray(), SocketFlags.None, relayed.ToIPEndPoint());
        byte[] back = await client.ReceiveAsync();
        Assert.True(ChannelData.TryRead(back, stream: true, out ChannelData data, out _, out _));
        Assert.Equal(0x4001, data.ChannelNumber);
        Assert.Equal("world!"u8.ToArray(), data.Data.ToArray());
        await host.StopAsync();
    }

    [Fact]
    public async Task Without_a_certificate_tls_is_off_and_the_log_says_so()
    {
        int tlsPort = InteropTests.FreePort();
        var logs = new LogCollector();
        using IHost host = await StartAsync(InteropTests.FreePort(), tlsPort, new Dictionary<string, string?>(), logs);

        Assert.Contains(3007, logs.EventIds);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        SocketException refused = await Assert.ThrowsAsync<SocketException>(() =>
            socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, tlsPort)));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        await host.StopAsync();
    }

    [Fact]
    public async Task A_client_that_is_not_tls_is_dropped_and_the_listener_goes_on()
    {
        int tlsPort = InteropTests.FreePort();
        using IHost host = await StartAsync(InteropTests.FreePort(), tlsPort, KestrelPfx());
        using (var plain = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            await plain.ConnectAsync(new IPEndPoint(IPAddress.Loopback, tlsPort));
            await plain.SendAsync(StunMessage.Build(new StunMessageType(StunMethod.Binding, StunClass.Request), TransactionId.NewId()));
            var buffer = new byte[256];
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            Assert.Equal(0, await plain.ReceiveAsync(buffer, SocketFlags.None, timeout.Token)); // Closed by the server.
        }

        await using TlsClient client = await TlsClient.ConnectAsync(tlsPort, _certificate.Thumbprint);
        Response binding = await client.RequestAsync(StunMessage.Build(new StunMessageType(StunMethod.Binding, StunClass.Request), TransactionId.NewId()));
        Assert.Equal(StunClass.SuccessResponse, binding.Class);
        await host.StopAsync();
    }

    [Fact]
    public async Task A_configured_certificate_that_cannot_be_loaded_stops_the_host()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Kestrel:Certificates:Default:Path"] = _certificate.PfxPath,
            ["Kestrel:Certificates:Default:Password"] = "wrong-password",
        };
        InvalidOperationException error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            StartAsync(InteropTests.FreePort(), InteropTests.FreePort(), settings));
        Assert.DoesNotContain("wrong-password", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Gets a 401 nonce, then allocates with coturn-style credentials from the issuer.</summary>
    private static async Task<(TestClient Client, Response Allocated)> AllocateAsync(IHost host, TlsClient client)
    {
        TurnCredential credential = host.Services.GetRequiredService<TurnCredentialIssuer>().Issue("tls-user", TimeSpan.FromMinutes(5));
        var turn = new TestClient(new HandlerHarness(), credential, HandlerHarness.Tuple(transport: TurnTransport.Tcp));
        Response challenge = await client.RequestAsync(StunMessage.Build(new StunMessageType(StunMethod.Allocate, StunClass.Request),
            TransactionId.NewId(), RequestedTransport.UdpTransport));
        Assert.Equal(StunErrorCode.Unauthenticated, challenge.Error);
        turn.Nonce = challenge.Nonce;
        Response allocated = await client.RequestAsync(turn.Build(StunMethod.Allocate, TransactionId.NewId(), RequestedTransport.UdpTransport));
        Assert.Equal(StunClass.SuccessResponse, allocated.Class);
        Assert.True(allocated.HasIntegrity);
        Assert.NotNull(allocated.Relayed);
        return (turn, allocated);
    }
}

/// <summary>Collects event ids of every log message.</summary>
internal sealed class LogCollector : ILoggerProvider, ILogger
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<int> _events = new();

    public IReadOnlyCollection<int> EventIds => _events;

    public ILogger CreateLogger(string categoryName) => this;

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _events.Enqueue(eventId.Id);

    public void Dispose()
    {
    }
}
