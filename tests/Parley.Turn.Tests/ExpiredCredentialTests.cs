using System.Net;
using Parley.Stun;
using Parley.Stun.Attributes;
using Parley.Turn.Auth;

namespace Parley.Turn.Tests;

/// <summary>Turn:ExpiredCredentialGrace: a call outlives its credential; a new allocation does not get one.</summary>
public class ExpiredCredentialTests
{
    private static readonly TransportAddress Peer = new(IPAddress.Parse("8.8.8.8"), 5000);

    [Fact]
    public void An_allocation_is_kept_alive_past_its_credential_expiry_from_its_own_5_tuple()
    {
        var h = new HandlerHarness(); // Credentials last 1 hour, grace 12 hours.
        TestClient client = h.NewClient();
        Assert.Equal(StunClass.SuccessResponse, client.Allocate().Class);
        for (int minute = 9; minute <= 90; minute += 9)
        {
            h.Time.Advance(TimeSpan.FromMinutes(9));
            client.Nonce = null; // The nonce went stale: challenged again, as a browser would be by 438.
            Assert.Equal(600u, client.Request(StunMethod.Refresh).Lifetime);
        }

        Assert.True(h.Time.GetUtcNow() > client.Credential.ExpiresAt);
        Assert.Equal(StunClass.SuccessResponse, client.Request(StunMethod.CreatePermission, new XorPeerAddress(Peer)).Class);
        Assert.Equal(StunClass.SuccessResponse, client.Request(StunMethod.ChannelBind, new ChannelNumber(0x4001), new XorPeerAddress(Peer)).Class);
    }

    [Fact]
    public void An_expired_credential_creates_no_allocation_and_renews_no_one_elses()
    {
        var h = new HandlerHarness();
        TestClient first = h.NewClient();
        Assert.Equal(StunClass.SuccessResponse, first.Allocate().Class);
        h.Time.Advance(TimeSpan.FromMinutes(61));

        // Another 5-tuple with the same, now expired, credential: no new allocation, and no renewal either.
        var other = new TestClient(h, first.Credential, HandlerHarness.Tuple(40001));
        Assert.Equal(StunErrorCode.Unauthenticated, other.Allocate().Error);
        Assert.Equal(StunErrorCode.Unauthenticated, other.Request(StunMethod.Refresh).Error);

        // The allocation's own 5-tuple cannot re-allocate with it either (Allocate is never renewed).
        first.Nonce = null;
        Assert.Equal(StunErrorCode.Unauthenticated, first.Allocate().Error);
    }

    [Fact]
    public void The_grace_is_bounded_and_only_for_the_username_that_created_the_allocation()
    {
        var h = new HandlerHarness(o => o.ExpiredCredentialGrace = TimeSpan.FromMinutes(20));
        TestClient client = h.NewClient();
        Assert.Equal(StunClass.SuccessResponse, client.Allocate().Class);
        TurnCredential original = client.Credential;
        for (int i = 0; i < 8; i++)
        {
            h.Time.Advance(TimeSpan.FromMinutes(9)); // 72 minutes: expired 12 minutes ago, within the grace.
            client.Nonce = null;
            Assert.Equal(600u, client.Request(StunMethod.Refresh).Lifetime);
        }

        // Another expired username of the same user is not the allocation's: no grace (401).
        client.Credential = h.Issuer.Issue("alice", TimeSpan.FromMinutes(1));
        h.Time.Advance(TimeSpan.FromMinutes(2));
        client.Nonce = null;
        Assert.Equal(StunErrorCode.Unauthenticated, client.Request(StunMethod.Refresh).Error);

        // Past expiry + grace (60 + 20 minutes), the creating username is refused too.
        client.Credential = original;
        h.Time.Advance(TimeSpan.FromMinutes(7));
        client.Nonce = null;
        Assert.Equal(StunErrorCode.Unauthenticated, client.Request(StunMethod.Refresh).Error);
    }

    [Fact]
    public void Without_grace_the_credential_expiry_ends_renewals()
    {
        var h = new HandlerHarness(o => o.ExpiredCredentialGrace = TimeSpan.Zero);
        TestClient client = h.NewClient();
        Assert.Equal(StunClass.SuccessResponse, client.Allocate().Class);
        for (int i = 0; i < 6; i++)
        {
            h.Time.Advance(TimeSpan.FromMinutes(9));
            client.Nonce = null;
            Assert.Equal(600u, client.Request(StunMethod.Refresh).Lifetime);
        }

        h.Time.Advance(TimeSpan.FromMinutes(7)); // 61 minutes.
        client.Nonce = null;
        Assert.Equal(StunErrorCode.Unauthenticated, client.Request(StunMethod.Refresh).Error);
    }
}
