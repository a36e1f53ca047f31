using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Parley.Stun;
using Parley.Stun.Attributes;
using Parley.Turn.Auth;

namespace Parley.Turn.Tests;

/// <summary>A stranger cannot hold TCP connection slots: a connection without an allocation is closed.</summary>
public sealed class StreamTimeoutTests
{
    private readonly FakeTimeProvider time = new(DateTimeOffset.UtcNow);

    private async Task<(IHost Host, int Port)> StartAsync()
    {
        int port = InteropTests.FreePort();
        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Turn:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Turn:TlsPort"] = InteropTests.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Turn:ListenAddress"] = "127.0.0.1",
            ["Turn:RelayAddress"] = "127.0.0.1",
            ["Turn:SharedSecrets:0"] = "timeout-secret-0123456789",
        });
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddParleyTurn();
        IHost host = builder.Build();
        await host.StartAsync();
        return (host, port);
    }

    [Fact]
    public async Task A_connection_that_never_allocates_is_closed_after_the_timeout()
    {
        (IHost host, int port) = await StartAsync();
        using var _ = host;
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        NetworkStream stream = tcp.GetStream();
        await stream.WriteAsync(StunMessage.Build(StunMessageType.BindingRequest, TransactionId.NewId()));
        Assert.True(await ReadAsync(stream) > 0); // served while young

        time.Advance(TimeSpan.FromSeconds(31));

        Assert.Equal(0, await ReadAsync(stream)); // closed by the server
        await host.StopAsync();
    }

    [Fact]
    public async Task A_connection_with_an_allocation_stays_open()
    {
        (IHost host, int port) = await StartAsync();
        using var _ = host;
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        NetworkStream stream = tcp.GetStream();
        TurnCredential credential = host.Services.GetRequiredService<TurnCredentialIssuer>().Issue("kept", TimeSpan.FromMinutes(5));
        var client = new TestClient(new HandlerHarness(), credential, HandlerHarness.Tuple());
        await stream.WriteAsync(StunMessage.Build(new StunMessageType(StunMethod.Allocate, StunClass.Request), TransactionId.NewId(), RequestedTransport.UdpTransport));
        client.Nonce = Response.Parse(await ReadFrameAsync(stream)).Nonce;
        await stream.WriteAsync(client.Build(StunMethod.Allocate, TransactionId.NewId(), RequestedTransport.UdpTransport));
        Assert.Equal(StunClass.SuccessResponse, Response.Parse(await ReadFrameAsync(stream)).Class);

        time.Advance(TimeSpan.FromSeconds(31));

        await stream.WriteAsync(StunMessage.Build(StunMessageType.BindingRequest, TransactionId.NewId()));
        Assert.Equal(StunClass.SuccessResponse, Response.Parse(await ReadFrameAsync(stream)).Class);
        await host.StopAsync();
    }

    private static async Task<int> ReadAsync(NetworkStream stream)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await stream.ReadAsync(new byte[2048], timeout.Token);
    }

    /// <summary>One STUN message: the 20-byte header says how long the rest is.</summary>
    private static async Task<byte[]> ReadFrameAsync(NetworkStream stream)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var header = new byte[20];
        await stream.ReadExactlyAsync(header, timeout.Token);
        var frame = new byte[20 + ((header[2] << 8) | header[3])];
        header.CopyTo(frame, 0);
        await stream.ReadExactlyAsync(frame.AsMemory(20), timeout.Token);
        return frame;
    }
}
