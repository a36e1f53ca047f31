using Parley.Stun;
using Parley.Stun.Attributes;

namespace Parley.Turn.Tests;

/// <summary>EVEN-PORT and RESERVATION-TOKEN: RTP/RTCP port pairs, RFC 8656 §7.2.</summary>
public partial class HandlerTests
{
    [Fact]
    public void Even_port_with_R_reserves_the_next_port_for_one_later_allocate_of_the_same_username()
    {
        var h = new HandlerHarness();
        Response rtp = h.NewClient("alice", HandlerHarness.Tuple(1)).Allocate(new EvenPort(ReserveNext: true));
        Assert.Equal(StunClass.SuccessResponse, rtp.Class);
        ulong token = Token(rtp);
        Assert.NotEqual(0ul, token);
        Assert.Equal(2, h.Relays.Created.Count);
        (FakeRelay even, FakeRelay reserved) = (h.Relays.Created[0], h.Relays.Created[1]);
        Assert.Equal(0, even.LocalAddress.Port % 2);
        Assert.Equal(even.LocalAddress.Port + 1, reserved.LocalAddress.Port);
        Assert.Equal(even.LocalAddress, rtp.Relayed);
        Assert.Null(reserved.Allocation); // held, not relaying
        Assert.Equal(1, h.Table.Reservations.Count);

        // Another 5-tuple of the same username redeems it (the reservation is server-wide), once.
        Response rtcp = h.NewClient("alice", HandlerHarness.Tuple(2)).Allocate(new ReservationToken(token));
        Assert.Equal(StunClass.SuccessResponse, rtcp.Class);
        Assert.Equal(reserved.LocalAddress, rtcp.Relayed);
        Assert.Equal(HandlerHarness.Tuple(2), reserved.Allocation!.Tuple);
        Assert.False(StunMessage.TryRead(rtcp.Raw, out StunMessage m, out _) && m.Contains(StunAttributeType.ReservationToken));
        Assert.Equal(0, h.Table.Reservations.Count);
        Assert.Equal(2, h.Relays.Created.Count);

        Response again = h.NewClient("alice", HandlerHarness.Tuple(3)).Allocate(new ReservationToken(token));
        Assert.Equal(StunErrorCode.InsufficientCapacity, again.Error);
        Assert.Equal(2, h.Table.Count);
    }

    [Fact]
    public void Even_port_without_R_reserves_nothing()
    {
        var h = new HandlerHarness();
        Response r = h.NewClient().Allocate(new EvenPort(ReserveNext: false));
        Assert.Equal(StunClass.SuccessResponse, r.Class);
        Assert.Equal(0ul, Token(r));
        Assert.Single(h.Relays.Created);
        Assert.Equal(0, h.Table.Reservations.Count);
    }

    [Fact]
    public void A_token_of_another_username_is_508_and_stays_for_its_owner()
    {
        var h = new HandlerHarness();
        TestClient rtp = h.NewClient("alice", HandlerHarness.Tuple(1));
        ulong token = Token(rtp.Allocate(new EvenPort(true)));
        Assert.Equal(StunErrorCode.InsufficientCapacity, h.NewClient("bob", HandlerHarness.Tuple(2)).Allocate(new ReservationToken(token)).Error);

        // The same user under another time-limited username is another credential too.
        h.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(StunErrorCode.InsufficientCapacity, h.NewClient("alice", HandlerHarness.Tuple(3)).Allocate(new ReservationToken(token)).Error);
        Assert.Equal(1, h.Table.Reservations.Count);

        TestClient owner = h.NewClient("alice", HandlerHarness.Tuple(4));
        owner.Credential = rtp.Credential;
        Assert.Equal(StunClass.SuccessResponse, owner.Allocate(new ReservationToken(token)).Class);
    }

    [Fact]
    public void A_reservation_counts_against_the_quota_and_expiry_closes_its_port_and_frees_its_slot()
    {
        var h = new HandlerHarness(o => o.MaxAllocationsPerUser = 2);
        ulong token = Token(h.NewClient("alice", HandlerHarness.Tuple(1)).Allocate(new EvenPort(true)));
        FakeRelay reserved = h.Relays.Created[1];

        // One allocation and one reservation: the user's two slots.
        Assert.Equal(StunErrorCode.AllocationQuotaReached, h.NewClient("alice", HandlerHarness.Tuple(2)).Allocate().Error);

        // Held at least 30 s (RFC 8656 §7.2), then closed by the sweep.
        h.Time.Advance(TimeSpan.FromSeconds(29));
        h.Table.RemoveExpired(h.Time.GetTimestamp());
        Assert.False(reserved.Disposed);
        h.Time.Advance(TimeSpan.FromSeconds(1));
        h.Table.RemoveExpired(h.Time.GetTimestamp());
        Assert.True(reserved.Disposed);
        Assert.Equal(0, h.Table.Reservations.Count);

        Assert.Equal(StunErrorCode.InsufficientCapacity, h.NewClient("alice", HandlerHarness.Tuple(3)).Allocate(new ReservationToken(token)).Error);
        Assert.Equal(StunClass.SuccessResponse, h.NewClient("alice", HandlerHarness.Tuple(4)).Allocate().Class);
    }

    [Fact]
    public void An_expired_token_is_508_even_before_the_sweep_and_its_port_is_closed()
    {
        var h = new HandlerHarness(o => o.MaxAllocationsPerUser = 2);
        ulong token = Token(h.NewClient("alice", HandlerHarness.Tuple(1)).Allocate(new EvenPort(true)));
        h.Time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(StunErrorCode.InsufficientCapacity, h.NewClient("alice", HandlerHarness.Tuple(2)).Allocate(new ReservationToken(token)).Error);
        Assert.True(h.Relays.Created[1].Disposed);
        Assert.Equal(StunClass.SuccessResponse, h.NewClient("alice", HandlerHarness.Tuple(3)).Allocate().Class);
    }

    [Theory]
    [InlineData(1, 1000, StunErrorCode.AllocationQuotaReached)]
    [InlineData(1000, 1, StunErrorCode.InsufficientCapacity)]
    public void Even_port_with_R_needs_two_slots_and_takes_none_without_them(int perUser, int total, StunErrorCode expected)
    {
        var h = new HandlerHarness(o => (o.MaxAllocationsPerUser, o.MaxAllocations) = (perUser, total));
        Assert.Equal(expected, h.NewClient().Allocate(new EvenPort(true)).Error);
        Assert.Empty(h.Relays.Created);
        Assert.Equal(StunClass.SuccessResponse, h.NewClient().Allocate().Class);
    }

    [Fact]
    public void No_free_pair_is_508_and_returns_both_slots()
    {
        var h = new HandlerHarness(o => o.MaxAllocationsPerUser = 2);
        h.Relays.Exhausted = true;
        Assert.Equal(StunErrorCode.InsufficientCapacity, h.NewClient().Allocate(new EvenPort(true)).Error);
        h.Relays.Exhausted = false;
        Assert.Equal(StunClass.SuccessResponse, h.NewClient("alice", HandlerHarness.Tuple(1)).Allocate(new EvenPort(true)).Class);
    }

    [Fact]
    public void A_retransmitted_even_port_allocate_repeats_its_token_without_reserving_again()
    {
        var h = new HandlerHarness();
        TestClient client = h.NewClient();
        client.Challenge();
        TransactionId id = TransactionId.NewId();
        Response first = client.Request(StunMethod.Allocate, id, RequestedTransport.UdpTransport, new EvenPort(true));
        Response again = client.Request(StunMethod.Allocate, id, RequestedTransport.UdpTransport, new EvenPort(true));
        Assert.Equal(StunClass.SuccessResponse, again.Class);
        Assert.Equal(Token(first), Token(again));
        Assert.Equal(2, h.Relays.Created.Count);
        Assert.Equal(1, h.Table.Reservations.Count);
    }

    public static TheoryData<string, StunErrorCode> ReservationErrors() => new()
    {
        { "token and even port", StunErrorCode.BadRequest },
        { "token and requested family", StunErrorCode.BadRequest },
        { "token and additional family", StunErrorCode.BadRequest },
        { "even port R and additional family", StunErrorCode.BadRequest },
        { "token of 4 bytes", StunErrorCode.BadRequest },
        { "even port of 2 bytes", StunErrorCode.BadRequest },
        { "unknown token", StunErrorCode.InsufficientCapacity },
    };

    [Theory]
    [MemberData(nameof(ReservationErrors))]
    public void Reservation_error_paths(string scenario, StunErrorCode expected)
    {
        var h = new HandlerHarness();
        ulong token = Token(h.NewClient("alice", HandlerHarness.Tuple(1)).Allocate(new EvenPort(true)));
        TestClient client = h.NewClient("alice", HandlerHarness.Tuple(2));
        Response r = scenario switch
        {
            "token and even port" => client.Allocate(new ReservationToken(token), new EvenPort(false)),
            "token and requested family" => client.Allocate(new ReservationToken(token), new RequestedAddressFamily(StunAddressFamily.IPv4)),
            "token and additional family" => client.Allocate(new ReservationToken(token), new AdditionalAddressFamily(StunAddressFamily.IPv6)),
            "even port R and additional family" => client.Allocate(new EvenPort(true), new AdditionalAddressFamily(StunAddressFamily.IPv6)),
            "token of 4 bytes" => client.Allocate(new RawAttribute(StunAttributeType.ReservationToken, [1, 2, 3, 4])),
            "even port of 2 bytes" => client.Allocate(new RawAttribute(StunAttributeType.EvenPort, [0x80, 0])),
            _ => client.Allocate(new ReservationToken(token + 1)),
        };

        Assert.Equal(expected, r.Error);
        Assert.True(r.HasIntegrity);

        // A refused request consumes nothing: the reservation is still there for its owner.
        Assert.Equal(1, h.Table.Count);
        Assert.Equal(1, h.Table.Reservations.Count);
        Assert.Equal(StunClass.SuccessResponse, client.Allocate(new ReservationToken(token)).Class);
    }

    internal static ulong Token(Response response)
    {
        Assert.True(StunMessage.TryRead(response.Raw, out StunMessage m, out StunError error), error.ToString());
        return m.TryGet(out ReservationToken token, out _) ? token.Value : 0;
    }
}
