using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Parley.Stun;
using Parley.Stun.Attributes;
using Parley.Turn.Auth;

namespace Parley.Turn.Tests;

/// <summary>TCP clients served by the event loop (Linux): writes never block the loop, and the stream stays framed.</summary>
public sealed class TcpLoopTests
{
    [EventLoopTheory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_tcp_client_that_stops_reading_stalls_no_one_and_later_reads_only_whole_messages(bool ioUring)
    {
        int port = InteropTests.FreePort();
        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Turn:Port"] = port.ToString(CultureInfo.InvariantCulture),
            ["Turn:TlsPort"] = InteropTests.FreePort().ToString(CultureInfo.InvariantCulture),
            ["Turn:ListenAddress"] = "127.0.0.1",
            ["Turn:RelayAddress"] = "127.0.0.1",
            ["Turn:AllowedPeerRanges:0"] = "127.0.0.0/8",
            ["Turn:SharedSecrets:0"] = "tcp-loop-secret-0123456789",
            ["Turn:MaxBandwidthPerAllocation"] = "1000000000",
            ["Turn:StreamSendBacklogBytes"] = "16448",
            ["Turn:IoUring"] = ioUring ? "true" : "false",
        });
        builder.Services.AddParleyTurn();
        using IHost host = builder.Build();
        await host.StartAsync();
        TurnCredential credential = host.Services.GetRequiredService<TurnCredentialIssuer>().Issue("stalled", TimeSpan.FromMinutes(5));

        using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        using var stream = new NetworkStream(tcp);
        using var peer = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        peer.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var peerAddress = new TransportAddress((IPEndPoint)peer.LocalEndPoint!);

        IStunSetter[] udp = [RequestedTransport.UdpTransport];
        await stream.WriteAsync(StunMessage.Build(new StunMessageType(StunMethod.Allocate, StunClass.Request), TransactionId.NewId(), udp));
        Response challenge = Response.Parse(await ReadFrameAsync(stream));
        await stream.WriteAsync(LongTermRequest.Build(StunMethod.Allocate, TransactionId.NewId(), credential.Username, credential.Password,
            challenge.Realm!, challenge.Nonce!, udp));
        Response allocated = Response.Parse(await ReadFrameAsync(stream));
        Assert.Equal(StunClass.SuccessResponse, allocated.Class);
        await stream.WriteAsync(LongTermRequest.Build(StunMethod.CreatePermission, TransactionId.NewId(), credential.Username,
            credential.Password, challenge.Realm!, challenge.Nonce!, [new XorPeerAddress(peerAddress)]));
        Assert.Equal(StunClass.SuccessResponse, Response.Parse(await ReadFrameAsync(stream)).Class);

        // The client stops reading while its peer sends 12 MB, paced so that most reaches the server: far more than the
        // socket buffers (tcp_wmem's 4 MiB at most) and the backlog hold.
        IPEndPoint relayed = allocated.Relayed!.Value.ToIPEndPoint();
        byte[] payload = new byte[1000];
        const int Sent = 12_000;
        for (int i = 0; i < Sent; i++)
        {
            payload[0] = (byte)i;
            await peer.SendToAsync(payload, SocketFlags.None, relayed);
            if (i % 100 == 0)
            {
                await Task.Delay(2); // Lets the relay socket's kernel buffer drain into the server.
            }
        }

        // The loop that serves the stalled connection still answers a UDP client at once.
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var answered = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var reply = new byte[1500];
        while (true)
        {
            await probe.SendToAsync(StunMessage.Build(StunMessageType.BindingRequest, TransactionId.NewId()), SocketFlags.None,
                new IPEndPoint(IPAddress.Loopback, port));
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(answered.Token);
            attempt.CancelAfter(TimeSpan.FromMilliseconds(500));
            try
            {
                Assert.Equal(StunClass.SuccessResponse, Response.Parse(reply[..await probe.ReceiveAsync(reply, SocketFlags.None, attempt.Token)]).Class);
                break;
            }
            catch (OperationCanceledException) when (!answered.IsCancellationRequested)
            {
            }
        }

        // Reading again, the client finds whole Data indications only (dropped messages were dropped whole), and fewer
        // than were sent: the server did not buffer without bound.
        int received = 0;
        while (true)
        {
            byte[] frame;
            try
            {
                frame = await ReadFrameAsync(stream, TimeSpan.FromSeconds(1));
            }
            catch (OperationCanceledException)
            {
                break;
            }

            Assert.True(StunMessage.TryRead(frame, out StunMessage message, out StunError error), error.ToString());
            Assert.Equal(new StunMessageType(StunMethod.Data, StunClass.Indication), message.Type);
            Assert.True(message.TryGet(out Data data, out _));
            Assert.Equal(1000, data.Value.Length);
            received++;
        }

        Assert.InRange(received, 1, Sent - 1);
        await host.StopAsync();
    }

    /// <summary>One STUN message: the 20-byte header says how long the rest is.</summary>
    private static async Task<byte[]> ReadFrameAsync(NetworkStream stream, TimeSpan? within = null)
    {
        using var timeout = new CancellationTokenSource(within ?? TimeSpan.FromSeconds(10));
        var header = new byte[20];
        await stream.ReadExactlyAsync(header, timeout.Token);
        var frame = new byte[20 + ((header[2] << 8) | header[3])];
        header.CopyTo(frame, 0);
        await stream.ReadExactlyAsync(frame.AsMemory(20), timeout.Token);
        return frame;
    }
}
