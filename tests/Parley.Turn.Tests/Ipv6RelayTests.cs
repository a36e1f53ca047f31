using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Parley.Stun;
using Parley.Stun.Attributes;
using Parley.Turn.Auth;

namespace Parley.Turn.Tests;

/// <summary>
/// IPv6 relaying on real sockets (RFC 8656 §7.2 REQUESTED-ADDRESS-FAMILY and ADDITIONAL-ADDRESS-FAMILY): a client
/// reaching the server over IPv4 asks for an IPv6 relayed address, or one of each, and talks to a peer on ::1.
/// </summary>
public sealed class Ipv6RelayTests
{
    private static async Task<IHost> StartAsync(int port) =>
        await TlsTests.StartAsync(port, InteropTests.FreePort(), new Dictionary<string, string?>
        {
            ["Turn:RelayAddressIPv6"] = "::1",
            ["Turn:AllowedPeerRanges:1"] = "::1/128",
        });

    [Fact]
    public async Task An_ipv6_relayed_address_carries_data_to_and_from_an_ipv6_peer()
    {
        int port = InteropTests.FreePort();
        using IHost host = await StartAsync(port);
        using var client = new UdpTurnClient(host, port);

        Response allocated = await client.AuthenticatedAsync(StunMethod.Allocate,
            RequestedTransport.UdpTransport, new RequestedAddressFamily(StunAddressFamily.IPv6));
        Assert.Equal(StunClass.SuccessResponse, allocated.Class);
        TransportAddress relayed = allocated.Relayed!.Value;
        Assert.Equal(IPAddress.IPv6Loopback, relayed.ToIPAddress());

        using var peer = new Socket(AddressFamily.InterNetworkV6, SocketType.Dgram, ProtocolType.Udp);
        peer.Bind(new IPEndPoint(IPAddress.IPv6Loopback, 0));
        var peerAddress = new TransportAddress((IPEndPoint)peer.LocalEndPoint!);
        Assert.Equal(StunClass.SuccessResponse, (await client.AuthenticatedAsync(StunMethod.CreatePermission, new XorPeerAddress(peerAddress))).Class);

        // Client -> peer through a Send indication; the peer sees it come from the IPv6 relayed address.
        await client.SendAsync(SendIndication(peerAddress, "over six"u8.ToArray()));
        var buffer = new byte[256];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        SocketReceiveFromResult received = await peer.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.IPv6Any, 0), timeout.Token);
        Assert.Equal("over six"u8.ToArray(), buffer[..received.ReceivedBytes]);
        Assert.Equal(relayed, new TransportAddress((IPEndPoint)received.RemoteEndPoint));

        // Peer -> client: a Data indication naming the IPv6 peer.
        await peer.SendToAsync("and back"u8.ToArray(), SocketFlags.None, relayed.ToIPEndPoint());
        byte[] indication = await client.ReceiveAsync();
        Assert.True(StunMessage.TryRead(indication, out StunMessage data, out StunError error), error.ToString());
        Assert.Equal(new StunMessageType(StunMethod.Data, StunClass.Indication), data.Type);
        Assert.True(data.TryGet(out XorPeerAddress from, out _));
        Assert.Equal(peerAddress, from.Address);
        Assert.True(data.TryGet(out Data payload, out _));
        Assert.Equal("and back"u8.ToArray(), payload.Value.ToArray());
        await host.StopAsync();
    }

    [Fact]
    public async Task Additional_address_family_gives_one_relayed_address_of_each_family()
    {
        int port = InteropTests.FreePort();
        using IHost host = await StartAsync(port);
        using var client = new UdpTurnClient(host, port);

        Response allocated = await client.AuthenticatedAsync(StunMethod.Allocate,
            RequestedTransport.UdpTransport, new AdditionalAddressFamily(StunAddressFamily.IPv6));

        Assert.Equal(StunClass.SuccessResponse, allocated.Class);
        Assert.Equal(2, allocated.RelayedCount);
        await host.StopAsync();
    }

    private static byte[] SendIndication(TransportAddress peer, byte[] payload) => HandlerTests.SendIndication(peer, payload);

    /// <summary>A TURN client on a real UDP socket, with the handler tests' long-term credential logic.</summary>
    private sealed class UdpTurnClient : IDisposable
    {
        private readonly Socket socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        private readonly IPEndPoint server;
        private readonly TestClient credentials;

        public UdpTurnClient(IHost host, int port)
        {
            socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            server = new IPEndPoint(IPAddress.Loopback, port);
            TurnCredential credential = host.Services.GetRequiredService<TurnCredentialIssuer>().Issue("six", TimeSpan.FromMinutes(5));
            credentials = new TestClient(new HandlerHarness(), credential, HandlerHarness.Tuple());
        }

        public async Task<Response> AuthenticatedAsync(StunMethod method, params IStunSetter[] attributes)
        {
            if (credentials.Nonce is null)
            {
                await SendAsync(StunMessage.Build(new StunMessageType(StunMethod.Allocate, StunClass.Request), TransactionId.NewId(), RequestedTransport.UdpTransport));
                Response challenge = Response.Parse(await ReceiveAsync());
                Assert.Equal(StunErrorCode.Unauthenticated, challenge.Error);
                credentials.Nonce = challenge.Nonce;
            }

            await SendAsync(credentials.Build(method, TransactionId.NewId(), attributes));
            return Response.Parse(await ReceiveAsync());
        }

        public async Task SendAsync(byte[] datagram) => await socket.SendToAsync(datagram, SocketFlags.None, server);

        public async Task<byte[]> ReceiveAsync()
        {
            var buffer = new byte[2048];
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            SocketReceiveFromResult result = await socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), timeout.Token);
            return buffer[..result.ReceivedBytes];
        }

        public void Dispose() => socket.Dispose();
    }
}
