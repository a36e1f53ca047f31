using System.Net;
using Parley.Stun;
using Parley.Stun.Attributes;

namespace Parley.Turn.Tests;

/// <summary>
/// Two clients of one server who both need TURN talk relay to relay: the peer is another allocation's
/// relayed address, on the server's own IP, which the peer policy alone refuses. Without an exemption.
/// </summary>
public class RelayToRelayTests
{
    [Fact]
    public void A_client_may_relay_to_another_live_allocation_on_this_server_and_nowhere_else_on_it()
    {
        var h = new HandlerHarness();
        TestClient alice = h.NewClient("alice", HandlerHarness.Tuple(40000));
        TestClient bob = h.NewClient("bob", HandlerHarness.Tuple(40001));
        alice.Allocate();
        bob.Allocate();
        TransportAddress bobRelay = h.Relays.Created[1].AdvertisedAddress;
        Assert.False(h.Policy.IsAllowed(bobRelay)); // the server's own address, in TEST-NET-1

        Assert.Equal(StunClass.SuccessResponse, alice.Request(StunMethod.CreatePermission, new XorPeerAddress(bobRelay)).Class);
        Assert.Equal(StunClass.SuccessResponse, alice.Request(StunMethod.ChannelBind, new ChannelNumber(0x4001), new XorPeerAddress(bobRelay)).Class);
        h.Send(HandlerTests.SendIndication(bobRelay, [1, 2, 3]), alice.Tuple);
        Assert.Equal(bobRelay, Assert.Single(h.Relays.Created[0].Sent).Peer);

        // Another port on the server's address is not a relay: still refused, and nothing is sent.
        var notARelay = new TransportAddress(IPAddress.Parse("192.0.2.1"), 22);
        Assert.Equal(StunErrorCode.Forbidden, alice.Request(StunMethod.ChannelBind, new ChannelNumber(0x4002), new XorPeerAddress(notARelay)).Error);
        h.Send(HandlerTests.SendIndication(notARelay, [4]), alice.Tuple);
        Assert.Single(h.Relays.Created[0].Sent);

        // Once Bob's allocation is gone, his old relayed address is just the server's address again.
        bob.Request(StunMethod.Refresh, new Lifetime(0));
        h.Send(HandlerTests.SendIndication(bobRelay, [5]), alice.Tuple);
        Assert.Single(h.Relays.Created[0].Sent);
    }
}
