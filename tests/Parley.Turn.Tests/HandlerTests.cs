using System.Net;
using Parley.Stun;
using Parley.Stun.Attributes;
using Parley.Turn.Auth;
using Parley.Turn.Relay;

namespace Parley.Turn.Tests;

public partial class HandlerTests
{
    private static readonly TransportAddress PublicPeer = new(IPAddress.Parse("203.0.114.5"), 6000);
    private static readonly TransportAddress PublicPeer2 = new(IPAddress.Parse("8.8.8.8"), 7000);

    private static StunMessageType Request(StunMethod method) => new(method, StunClass.Request);

    [Fact]
    public void Binding_needs_no_credentials_and_reflects_the_source()
    {
        var h = new HandlerHarness();
        Response r = Response.Parse(h.Send(StunMessage.Build(StunMessageType.BindingRequest, TransactionId.NewId())));
        Assert.Equal(StunClass.SuccessResponse, r.Class);
        Assert.Equal(HandlerHarness.Tuple().Client, r.Mapped);
        Assert.False(r.HasSoftware);
        Assert.True(r.Raw.Length <= 4 * 20);
    }

    [Fact]
    public void Allocate_without_integrity_is_challenged_with_realm_nonce_and_password_algorithms()
    {
        var h = new HandlerHarness();
        Response r = h.NewClient().Challenge();
        Assert.Equal(StunErrorCode.Unauthenticated, r.Error);
        Assert.Equal("parley", r.Realm);
        Assert.StartsWith("obMatJos2", r.Nonce, StringComparison.Ordinal);
        Assert.True(r.HasPasswordAlgorithms);
        Assert.False(r.HasIntegrity);
        Assert.False(r.HasSoftware);
        Assert.True(r.Raw.Length <= 4 * 28, $"401 of {r.Raw.Length} bytes to a 28-byte request");
    }

    [Fact]
    public void A_challenge_bigger_than_four_times_the_request_is_not_sent()
    {
        var h = new HandlerHarness();
        byte[] bare = StunMessage.Build(Request(StunMethod.Allocate), TransactionId.NewId());
        Assert.Empty(h.Send(bare));
    }

    [Fact]
    public void Challenges_are_rate_limited_per_source()
    {
        var h = new HandlerHarness(o => o.ErrorRepliesPerSecond = 5);
        byte[] request = StunMessage.Build(Request(StunMethod.Allocate), TransactionId.NewId(), RequestedTransport.UdpTransport);
        int answered = Enumerable.Range(0, 50).Count(_ => h.Send(request).Length > 0);
        Assert.Equal(10, answered);
        Assert.NotEmpty(h.Send(request, HandlerHarness.Tuple() with { Client = new TransportAddress(IPAddress.Parse("198.51.100.99"), 1) }));
        h.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.NotEmpty(h.Send(request));
    }

    [Fact]
    public void Challenges_over_tcp_are_not_rate_limited_as_no_spoofed_source_can_be_reflected_onto()
    {
        var h = new HandlerHarness(o => o.ErrorRepliesPerSecond = 5);
        h.Client.IsStream = true;
        byte[] request = StunMessage.Build(Request(StunMethod.Allocate), TransactionId.NewId(), RequestedTransport.UdpTransport);
        int answered = Enumerable.Range(0, 50).Count(i => h.Send(request, HandlerHarness.Tuple(30000 + i, TurnTransport.Tcp)).Length > 0);
        Assert.Equal(50, answered);
    }

    [Fact]
    public void Allocate_succeeds_with_relayed_and_mapped_addresses_and_default_lifetime()
    {
        var h = new HandlerHarness();
        Response r = h.NewClient().Allocate();
        Assert.Equal(StunClass.SuccessResponse, r.Class);
        Assert.Equal(h.Relays.Created[0].LocalAddress, r.Relayed);
        Assert.Equal(HandlerHarness.Tuple().Client, r.Mapped);
        Assert.Equal(600u, r.Lifetime);
        Assert.True(r.HasIntegrity);
        Assert.Equal(1, h.Table.Count);
        Assert.NotNull(h.Relays.Created[0].Allocation);
    }

    [Theory]
    [InlineData(100u, 600u)]
    [InlineData(1200u, 1200u)]
    [InlineData(7200u, 3600u)]
    [InlineData(uint.MaxValue, 3600u)]
    public void Allocate_lifetime_is_clamped_per_rfc(uint requested, uint granted)
    {
        var h = new HandlerHarness();
        Assert.Equal(granted, h.NewClient().Allocate(new Lifetime(requested)).Lifetime);
    }

    public static TheoryData<string, StunErrorCode> AllocateErrors() => new()
    {
        { "tcp transport", StunErrorCode.UnsupportedTransportProtocol },
        { "no transport", StunErrorCode.BadRequest },
        { "ipv6 unsupported", StunErrorCode.AddressFamilyNotSupported },
        { "both families", StunErrorCode.BadRequest },
        { "reservation token", StunErrorCode.InsufficientCapacity },
        { "relay ports exhausted", StunErrorCode.InsufficientCapacity },
        { "total quota", StunErrorCode.InsufficientCapacity },
        { "dont fragment", StunErrorCode.UnknownAttribute },
    };

    [Theory]
    [MemberData(nameof(AllocateErrors))]
    public void Allocate_error_paths(string scenario, StunErrorCode expected)
    {
        var h = new HandlerHarness(o => o.MaxAllocations = scenario == "total quota" ? 1 : 1000);
        TestClient client = h.NewClient();
        h.Relays.Exhausted = scenario == "relay ports exhausted";
        if (scenario == "total quota")
        {
            Assert.Equal(StunClass.SuccessResponse, h.NewClient("bob", HandlerHarness.Tuple(40001)).Allocate().Class);
        }

        Response r = scenario switch
        {
            "tcp transport" => client.Request(StunMethod.Allocate, new RequestedTransport(RequestedTransport.Tcp)),
            "no transport" => client.Request(StunMethod.Allocate),
            "ipv6 unsupported" => client.Allocate(new RequestedAddressFamily(StunAddressFamily.IPv6)),
            "both families" => client.Allocate(new RequestedAddressFamily(StunAddressFamily.IPv4), new AdditionalAddressFamily(StunAddressFamily.IPv6)),
            "reservation token" => client.Allocate(new ReservationToken(12345)),
            "dont fragment" => client.Allocate(new DontFragment()),
            _ => client.Allocate(),
        };

        Assert.Equal(StunClass.ErrorResponse, r.Class);
        Assert.Equal(expected, r.Error);
        Assert.True(r.HasIntegrity, "errors to authenticated requests are signed");
        Assert.Equal(scenario == "total quota" ? 1 : 0, h.Table.Count);
    }

    [Fact]
    public void A_second_allocate_on_the_same_five_tuple_is_437_but_a_retransmission_succeeds()
    {
        var h = new HandlerHarness();
        TestClient client = h.NewClient();
        client.Challenge();
        TransactionId id = TransactionId.NewId();
        Assert.Equal(StunClass.SuccessResponse, client.Request(StunMethod.Allocate, id, RequestedTransport.UdpTransport).Class);
        Response again = client.Request(StunMethod.Allocate, id, RequestedTransport.UdpTransport);
        Assert.Equal(StunClass.SuccessResponse, again.Class);
        Assert.Single(h.Relays.Created);
        Assert.Equal(StunErrorCode.AllocationMismatch, client.Allocate().Error);
    }

    [Fact]
    public void Allocations_per_user_are_limited_with_486()
    {
        var h = new HandlerHarness(o => o.MaxAllocationsPerUser = 2);
        Assert.Equal(StunClass.SuccessResponse, h.NewClient("eve", HandlerHarness.Tuple(1)).Allocate().Class);
        Assert.Equal(StunClass.SuccessResponse, h.NewClient("eve", HandlerHarness.Tuple(2)).Allocate().Class);
        Assert.Equal(StunErrorCode.AllocationQuotaReached, h.NewClient("eve", HandlerHarness.Tuple(3)).Allocate().Error);
        Assert.Equal(StunClass.SuccessResponse, h.NewClient("frank", HandlerHarness.Tuple(4)).Allocate().Class);
    }

    [Fact]
    public void Without_a_host_to_size_it_the_automatic_quota_per_user_is_60()
    {
        // Turn:MaxAllocationsPerUser unset; every first Allocate draws a 401, more than the default budget per address.
        var h = new HandlerHarness(o => o.ErrorRepliesPerSecond = 1000);
        for (int i = 0; i < 60; i++)
        {
            Assert.Equal(StunClass.SuccessResponse, h.NewClient("eve", HandlerHarness.Tuple(1000 + i)).Allocate().Class);
        }

        Assert.Equal(StunErrorCode.AllocationQuotaReached, h.NewClient("eve", HandlerHarness.Tuple(999)).Allocate().Error);
    }

    [Fact]
    public void Additional_ipv6_family_gives_two_relayed_addresses_or_an_address_error()
    {
        var h = new HandlerHarness();
        Response single = h.NewClient("a", HandlerHarness.Tuple(1)).Allocate(new AdditionalAddressFamily(StunAddressFamily.IPv6));
        Assert.Equal(StunClass.SuccessResponse, single.Class);
        Assert.Equal(1, single.RelayedCount);
        Assert.True(StunMessage.TryRead(single.Raw, out StunMessage m, out _));
        Assert.True(m.TryGet(out AddressErrorCode addressError, out _));
        Assert.Equal(StunErrorCode.AddressFamilyNotSupported, addressError.Code);

        h.Relays.IPv6 = true;
        Response dual = h.NewClient("b", HandlerHarness.Tuple(2)).Allocate(new AdditionalAddressFamily(StunAddressFamily.IPv6));
        Assert.Equal(2, dual.RelayedCount);
        Response v6 = h.NewClient("c", HandlerHarness.Tuple(3)).Allocate(new RequestedAddressFamily(StunAddressFamily.IPv6));
        Assert.Equal(StunAddressFamily.IPv6, v6.Relayed!.Value.Family);
    }

    [Fact]
    public void Wrong_password_is_401_and_expired_credentials_are_401()
    {
        var h = new HandlerHarness();
        TestClient client = h.NewClient();
        client.PasswordOverride = "wrong";
        Response wrong = client.Allocate();
        Assert.Equal(StunErrorCode.Unauthenticated, wrong.Error);
        Assert.False(wrong.HasIntegrity);

        TestClient late = h.NewClient("late", HandlerHarness.Tuple(2));
        late.Challenge();
        h.Time.Advance(TimeSpan.FromHours(2));
        late.Challenge();
        Assert.Equal(StunErrorCode.Unauthenticated, late.Allocate().Error);
    }

    [Fact]
    public void A_different_username_on_an_existing_allocation_is_441()
    {
        var h = new HandlerHarness();
        TestClient client = h.NewClient();
        Assert.Equal(StunClass.SuccessResponse, client.Allocate().Class);
        client.Credential = h.Issuer.Issue("mallory");
        Assert.Equal(StunErrorCode.WrongCredentials, client.Request(StunMethod.Refresh).Error);
        Assert.Equal(StunErrorCode.WrongCredentials, client.Request(StunMethod.CreatePermission, new XorPeerAddress(PublicPeer)).Error);
    }

    [Fact]
    public void An_expired_nonce_is_438_with_a_fresh_nonce_that_then_works()
    {
        var h = new HandlerHarness();
        TestClient client = h.NewClient();
        client.Challenge();
        h.Time.Advance(TimeSpan.FromMinutes(11));
        Response stale = client.Allocate();
        Assert.Equal(StunErrorCode.StaleNonce, stale.Error);
        Assert.Equal("parley", stale.Realm);
        Assert.NotNull(stale.Nonce);
        Assert.NotEqual(client.Nonce, stale.Nonce);
        client.Nonce = stale.Nonce;
        Assert.Equal(StunClass.SuccessResponse, client.Allocate().Class);
    }

    [Fact]
    public void A_nonce_from_another_client_address_is_stale()
    {
        var h = new HandlerHarness();
        TestClient first = h.NewClient("a", HandlerHarness.Tuple(1));
        first.Challenge();
        TestClient second = h.NewClient("a", HandlerHarness.Tuple(2));
        second.Nonce = first.Nonce;
        Assert.Equal(StunErrorCode.StaleNonce, second.Allocate().Error);
    }

    [Fact]
    public void Integrity_without_nonce_is_400()
    {
        var h = new HandlerHarness();
        TurnCredential credential = h.Issuer.Issue("a");
        byte[] key = StunKeys.LongTerm(credential.Username, "parley", credential.Password);
        byte[] request = StunMessage.Build(Request(StunMethod.Allocate), TransactionId.NewId(), RequestedTransport.UdpTransport,
            new Username(credential.Username), new Realm("parley"), new MessageIntegrity(key));
        Assert.Equal(StunErrorCode.BadRequest, Response.Parse(h.Send(request)).Error);
    }

    [Theory]
    [InlineData(StunPasswordAlgorithm.Md5, false)]
    [InlineData(StunPasswordAlgorithm.Sha256, false)]
    [InlineData(StunPasswordAlgorithm.Sha256, true)]
    [InlineData(StunPasswordAlgorithm.Md5, true)]
    public void Password_algorithms_and_sha256_integrity_are_negotiated(StunPasswordAlgorithm algorithm, bool sha256Integrity)
    {
        var h = new HandlerHarness();
        TestClient client = h.NewClient();
        client.Algorithm = algorithm;
        client.UseSha256Integrity = sha256Integrity;
        Response r = client.Allocate();
        Assert.Equal(StunClass.SuccessResponse, r.Class);
        Assert.Equal(sha256Integrity, r.HasIntegritySha256);
        Assert.Equal(!sha256Integrity, r.HasIntegrity);
    }

    [Fact]
    public void A_password_algorithm_without_the_list_is_400()
    {
        var h = new HandlerHarness();
        TestClient client = h.NewClient();
        client.Challenge();
        Assert.Equal(StunErrorCode.BadRequest, client.Allocate(new PasswordAlgorithm(StunPasswordAlgorithm.Sha256)).Error);
    }

    [Fact]
    public void A_userhash_of_an_issued_credential_authenticates()
    {
        var h = new HandlerHarness();
        TestClient client = h.NewClient();
        client.UseUserHash = true;
        client.Algorithm = StunPasswordAlgorithm.Sha256;
        client.UseSha256Integrity = true;
        Assert.Equal(StunClass.SuccessResponse, client.Allocate().Class);
    }

    [Fact]
    public void Refresh_extends_clamps_and_lifetime_zero_deletes()
    {
        var h = new HandlerHarness();
        TestClient client = h.NewClient();
        Assert.Equal(StunErrorCode.AllocationMismatch, client.Request(StunMethod.Refresh).Error);
        client.Allocate();
        Assert.Equal(3600u, client.Request(StunMethod.Refresh, new Lifetime(99999)).Lifetime);
        Assert.Equal(600u, client.Request(StunMethod.Refresh).Lifetime);
        Assert.Equal(StunErrorCode.PeerAddressFamilyMismatch,
            client.Request(StunMethod.Refresh, new RequestedAddressFamily(StunAddressFamily.IPv6)).Error);
        Response deleted = client.Request(StunMethod.Refresh, new Lifetime(0));
        Assert.Equal(StunClass.SuccessResponse, deleted.Class);
        Assert.Equal(0u, deleted.Lifetime);
        Assert.True(h.Relays.Created[0].Disposed);
        Assert.Equal(0, h.Table.Count);
        Assert.Equal(StunErrorCode.AllocationMismatch, client.Request(StunMethod.Refresh).Error);
    }

    [Fact]
    public void Allocations_expire_and_free_their_relay_and_quota()
    {
        var h = new HandlerHarness(o => o.MaxAllocationsPerUser = 1);
        TestClient client = h.NewClient();
        client.Allocate();
        h.Time.Advance(TimeSpan.FromSeconds(599));
        Assert.Equal(1, h.Table.RemoveExpired(h.Time.GetTimestamp()) + 1);
        h.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, h.Table.RemoveExpired(h.Time.GetTimestamp()));
        Assert.True(h.Relays.Created[0].Disposed);
        Assert.Equal(StunClass.SuccessResponse, h.NewClient("alice", HandlerHarness.Tuple(2)).Allocate().Class);
    }

    public static TheoryData<string, StunErrorCode> PermissionErrors() => new()
    {
        { "no peer", StunErrorCode.BadRequest },
        { "private peer", StunErrorCode.Forbidden },
        { "mapped loopback peer", StunErrorCode.Forbidden },
        { "metadata peer", StunErrorCode.Forbidden },
        { "documentation range", StunErrorCode.Forbidden },
        { "ipv6 peer on ipv4 relay", StunErrorCode.PeerAddressFamilyMismatch },
        { "quota", StunErrorCode.InsufficientCapacity },
        { "no allocation", StunErrorCode.AllocationMismatch },
    };

    [Theory]
    [MemberData(nameof(PermissionErrors))]
    public void CreatePermission_error_paths(string scenario, StunErrorCode expected)
    {
        var h = new HandlerHarness(o => o.MaxPermissionsPerAllocation = 2);
        TestClient client = h.NewClient();
        if (scenario != "no allocation")
        {
            client.Allocate();
        }

        static XorPeerAddress Peer(string ip) => new(new TransportAddress(IPAddress.Parse(ip), 5000));
        Response r = scenario switch
        {
            "no peer" => client.Request(StunMethod.CreatePermission),
            "private peer" => client.Request(StunMethod.CreatePermission, Peer("8.8.8.8"), Peer("10.0.0.1")),
            "mapped loopback peer" => client.Request(StunMethod.CreatePermission, Peer("::ffff:127.0.0.1")),
            "metadata peer" => client.Request(StunMethod.CreatePermission, Peer("169.254.169.254")),
            // The server's own address is covered by RelayToRelayTests: permissions are per IP, and its relays live there.
            "documentation range" => client.Request(StunMethod.CreatePermission, Peer("203.0.113.5")),
            "ipv6 peer on ipv4 relay" => client.Request(StunMethod.CreatePermission, Peer("2606:4700::1")),
            "quota" => client.Request(StunMethod.CreatePermission, Peer("8.8.8.8"), Peer("8.8.4.4"), Peer("1.1.1.1")),
            _ => client.Request(StunMethod.CreatePermission, Peer("8.8.8.8")),
        };

        Assert.Equal(expected, r.Error);
        // All or nothing: a rejected request installs no permission.
        Assert.False(h.Table.TryGet(client.Tuple, h.Time.GetTimestamp(), out Allocation a) && a.PermissionCount > 0);
    }

    [Fact]
    public void Permissions_let_data_through_both_ways_and_expire_after_300_seconds()
    {
        var h = new HandlerHarness();
        TestClient client = h.NewClient();
        client.Allocate();
        FakeRelay relay = h.Relays.Created[0];
        Allocation allocation = relay.Allocation!;

        // Before a permission: Send is dropped and peer data is dropped.
        h.Send(SendIndication(PublicPeer, [1, 2, 3]), client.Tuple);
        PeerData(h, allocation, PublicPeer, [9]);
        Assert.Empty(relay.Sent);
        Assert.Empty(h.Client.Received);

        Assert.Equal(StunClass.SuccessResponse, client.Request(StunMethod.CreatePermission, new XorPeerAddress(PublicPeer)).Class);
        h.Send(SendIndication(PublicPeer, [1, 2, 3]), client.Tuple);
        Assert.Equal([1, 2, 3], Assert.Single(relay.Sent).Data);

        // The permission is per IP: another port of the same peer may send back.
        PeerData(h, allocation, new TransportAddress(PublicPeer.ToIPAddress(), 9999), [7, 8]);
        byte[] indication = Assert.Single(h.Client.Received);
        Assert.True(StunMessage.TryRead(indication, out StunMessage m, out _));
        Assert.Equal(new StunMessageType(StunMethod.Data, StunClass.Indication), m.Type);
        Assert.True(m.TryGet(out XorPeerAddress from, out _));
        Assert.Equal(9999, from.Address.Port);
        Assert.True(m.TryGet(out Data data, out _));
        Assert.Equal([7, 8], data.Value.ToArray());

        h.Time.Advance(TimeSpan.FromSeconds(299));
        PeerData(h, allocation, PublicPeer, [1]);
        Assert.Equal(2, h.Client.Received.Count);
        h.Time.Advance(TimeSpan.FromSeconds(1));
        PeerData(h, allocation, PublicPeer, [1]);
        h.Send(SendIndication(PublicPeer, [4]), client.Tuple);
        Assert.Equal(2, h.Client.Received.Count);
        Assert.Single(relay.Sent);
    }

    public static TheoryData<string, StunErrorCode> ChannelBindErrors() => new()
    {
        { "channel below range", StunErrorCode.BadRequest },
        { "channel above range", StunErrorCode.BadRequest },
        { "no peer", StunErrorCode.BadRequest },
        { "no channel", StunErrorCode.BadRequest },
        { "channel bound to another peer", StunErrorCode.BadRequest },
        { "peer bound to another channel", StunErrorCode.BadRequest },
        { "forbidden peer", StunErrorCode.Forbidden },
        { "nat64 loopback peer", StunErrorCode.Forbidden },
        { "ipv6 peer", StunErrorCode.PeerAddressFamilyMismatch },
        { "no allocation", StunErrorCode.AllocationMismatch },
    };

    [Theory]
    [MemberData(nameof(ChannelBindErrors))]
    public void ChannelBind_error_paths(string scenario, StunErrorCode expected)
    {
        var h = new HandlerHarness();
        TestClient client = h.NewClient();
        if (scenario != "no allocation")
        {
            client.Allocate();
            Assert.Equal(StunClass.SuccessResponse,
                client.Request(StunMethod.ChannelBind, new ChannelNumber(0x4000), new XorPeerAddress(PublicPeer)).Class);
        }

        Response r = scenario switch
        {
            "channel below range" => client.Request(StunMethod.ChannelBind, RawChannel(0x3FFF), new XorPeerAddress(PublicPeer2)),
            "channel above range" => client.Request(StunMethod.ChannelBind, RawChannel(0x8000), new XorPeerAddress(PublicPeer2)),
            "no peer" => client.Request(StunMethod.ChannelBind, new ChannelNumber(0x4001)),
            "no channel" => client.Request(StunMethod.ChannelBind, new XorPeerAddress(PublicPeer2)),
            "channel bound to another peer" => client.Request(StunMethod.ChannelBind, new ChannelNumber(0x4000), new XorPeerAddress(PublicPeer2)),
            "peer bound to another channel" => client.Request(StunMethod.ChannelBind, new ChannelNumber(0x4001), new XorPeerAddress(PublicPeer)),
            "forbidden peer" => client.Request(StunMethod.ChannelBind, new ChannelNumber(0x4001),
                new XorPeerAddress(new TransportAddress(IPAddress.Parse("192.168.1.1"), 1))),
            "nat64 loopback peer" => client.Request(StunMethod.ChannelBind, new ChannelNumber(0x4001),
                new XorPeerAddress(new TransportAddress(IPAddress.Parse("64:ff9b::7f00:1"), 1))),
            "ipv6 peer" => client.Request(StunMethod.ChannelBind, new ChannelNumber(0x4001),
                new XorPeerAddress(new TransportAddress(IPAddress.Parse("2606:4700::1"), 1))),
            _ => client.Request(StunMethod.ChannelBind, new ChannelNumber(0x4001), new XorPeerAddress(PublicPeer2)),
        };

        Assert.Equal(expected, r.Error);
    }

    [Fact]
    public void Rebinding_the_same_channel_to_the_same_peer_refreshes_it()
    {
        var h = new HandlerHarness();
        TestClient client = h.NewClient();
        client.Allocate();
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(StunClass.SuccessResponse,
                client.Request(StunMethod.ChannelBind, new ChannelNumber(0x4abc), new XorPeerAddress(PublicPeer)).Class);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Channels_carry_data_both_ways_and_expire_after_600_seconds(bool stream)
    {
        var h = new HandlerHarness();
        h.Client.IsStream = stream;
        TestClient client = h.NewClient("a", HandlerHarness.Tuple(1, stream ? TurnTransport.Tcp : TurnTransport.Udp));
        client.Allocate();
        client.Request(StunMethod.ChannelBind, new ChannelNumber(0x4001), new XorPeerAddress(PublicPeer));
        FakeRelay relay = h.Relays.Created[0];

        byte[] frame = new byte[stream ? 8 : 7];
        ChannelData.TryWrite(frame, 0x4001, [1, 2, 3], pad: stream, out _, out _);
        h.Send(frame, client.Tuple);
        Assert.Equal([1, 2, 3], Assert.Single(relay.Sent).Data);
        Assert.Equal(PublicPeer, relay.Sent[0].Peer);

        PeerData(h, relay.Allocation!, PublicPeer, [5, 6, 7, 8, 9]);
        byte[] back = Assert.Single(h.Client.Received);
        Assert.Equal(stream ? 12 : 9, back.Length);
        Assert.True(ChannelData.TryRead(back, stream, out ChannelData cd, out _, out _));
        Assert.Equal(0x4001, cd.ChannelNumber);
        Assert.Equal([5, 6, 7, 8, 9], cd.Data.ToArray());

        // Keep the allocation and permission alive but let the channel lapse.
        client.Request(StunMethod.Refresh, new Lifetime(3600));
        h.Time.Advance(TimeSpan.FromSeconds(290));
        client.Request(StunMethod.CreatePermission, new XorPeerAddress(PublicPeer));
        h.Time.Advance(TimeSpan.FromSeconds(290));
        client.Request(StunMethod.CreatePermission, new XorPeerAddress(PublicPeer));
        h.Time.Advance(TimeSpan.FromSeconds(20));
        h.Send(frame, client.Tuple);
        Assert.Single(relay.Sent);
        // Without the channel, peer data arrives as a Data indication.
        PeerData(h, relay.Allocation!, PublicPeer, [1]);
        Assert.True(StunMessage.TryRead(h.Client.Received[^1], out StunMessage m, out _));
        Assert.Equal(StunMethod.Data, m.Type.Method);
    }

    [Theory]
    [InlineData(0x5000, false)]
    [InlineData(0x7FFF, false)]
    [InlineData(0x6abc, true)]
    public void RFC_5766_channel_numbers_above_0x4fff_bind_and_carry_data_both_ways(int number, bool stream)
    {
        // RFC 5766 §11 clients (coturn's uclient) bind 0x4000-0x7FFF, which RFC 8656 §12 narrowed to 0x4FFF.
        var h = new HandlerHarness();
        h.Client.IsStream = stream;
        var channel = (ushort)number;
        TestClient client = h.NewClient("a", HandlerHarness.Tuple(1, stream ? TurnTransport.Tcp : TurnTransport.Udp));
        client.Allocate();
        Assert.Equal(StunClass.SuccessResponse,
            client.Request(StunMethod.ChannelBind, RawChannel(channel), new XorPeerAddress(PublicPeer)).Class);
        FakeRelay relay = h.Relays.Created[0];

        byte[] frame = new byte[8];
        Assert.True(ChannelData.TryWrite(frame, channel, [1, 2, 3], pad: true, out int written, out _));
        h.Send(frame[..(stream ? written : 7)], client.Tuple);
        Assert.Equal([1, 2, 3], Assert.Single(relay.Sent).Data);

        PeerData(h, relay.Allocation!, PublicPeer, [5, 6]);
        Assert.True(ChannelData.TryRead(Assert.Single(h.Client.Received), stream, out ChannelData back, out _, out _));
        Assert.Equal(channel, back.ChannelNumber);
        Assert.Equal([5, 6], back.Data.ToArray());
    }

    [Fact]
    public void ChannelData_on_an_unbound_channel_or_unknown_tuple_is_dropped()
    {
        var h = new HandlerHarness();
        TestClient client = h.NewClient();
        client.Allocate();
        byte[] frame = new byte[7];
        ChannelData.TryWrite(frame, 0x4001, [1, 2, 3], pad: false, out _, out _);
        h.Send(frame, client.Tuple);
        h.Send(frame, HandlerHarness.Tuple(5));
        Assert.Empty(h.Relays.Created[0].Sent);
    }

    [Fact]
    public void Bandwidth_per_allocation_is_limited()
    {
        var h = new HandlerHarness(o => o.MaxBandwidthPerAllocation = 1000);
        TestClient client = h.NewClient();
        client.Allocate();
        client.Request(StunMethod.CreatePermission, new XorPeerAddress(PublicPeer));
        for (int i = 0; i < 20; i++)
        {
            h.Send(SendIndication(PublicPeer, new byte[100]), client.Tuple);
        }

        Assert.Equal(10, h.Relays.Created[0].Sent.Count);
        h.Time.Advance(TimeSpan.FromSeconds(1));
        h.Send(SendIndication(PublicPeer, new byte[100]), client.Tuple);
        Assert.Equal(11, h.Relays.Created[0].Sent.Count);
    }

    [Fact]
    public void Software_is_only_sent_when_configured()
    {
        var h = new HandlerHarness(o => o.Software = "parley");
        Assert.True(h.NewClient().Allocate().HasSoftware);
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0, 1, 0, 0 })]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 })]
    [InlineData(new byte[] { 0x40, 0x00, 0x00, 0x10, 1 })]
    public void Garbage_is_dropped_without_reply(byte[] packet)
    {
        var h = new HandlerHarness();
        Assert.Empty(h.Send(packet));
    }

    [Fact]
    public void Random_packets_never_throw()
    {
        var h = new HandlerHarness();
        var random = new Random(42);
        var response = new byte[TurnRequestHandler.MaxResponseLength];
        for (int i = 0; i < 20_000; i++)
        {
            byte[] packet = new byte[random.Next(0, 200)];
            random.NextBytes(packet);
            if (packet.Length >= 8 && i % 2 == 0)
            {
                packet[0] &= 0x3F;
                System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)((packet.Length - 20) & ~3));
                System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), StunMessage.MagicCookie);
            }

            h.Handler.HandleClientPacket(packet, HandlerHarness.Tuple(), h.Client, response);
        }
    }

    private static RawAttribute RawChannel(ushort value) => new(StunAttributeType.ChannelNumber, [(byte)(value >> 8), (byte)value, 0, 0]);

    internal static byte[] SendIndication(TransportAddress peer, byte[] payload)
    {
        var buffer = new byte[2048];
        var writer = new StunMessageWriter(buffer, new StunMessageType(StunMethod.Send, StunClass.Indication), TransactionId.NewId());
        writer.Add(new XorPeerAddress(peer));
        writer.Add(new Data(payload));
        return writer.WrittenSpan.ToArray();
    }

    private static void PeerData(HandlerHarness h, Allocation allocation, TransportAddress peer, byte[] payload)
    {
        var buffer = new byte[4 + payload.Length + 4];
        payload.CopyTo(buffer, 4);
        h.Handler.OnPeerData(allocation, peer, buffer, 4, payload.Length);
    }

    private readonly record struct RawAttribute(StunAttributeType Type, byte[] Value) : IStunSetter
    {
        public bool TryAddTo(ref StunMessageWriter writer) => writer.TryAddAttribute(Type, Value);
    }
}
