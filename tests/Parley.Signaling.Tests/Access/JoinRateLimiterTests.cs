using System.Net;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Parley.Signaling.Access;

namespace Parley.Signaling.Tests.Access;

public class JoinRateLimiterTests
{
    private static JoinRateLimiter Limiter(FakeTimeProvider time, int perMinute = 20) =>
        new(Options.Create(new SignalingOptions { JoinsPerMinutePerAddress = perMinute }), time);

    [Fact]
    public void An_address_gets_its_joins_per_minute_then_waits_while_others_are_unaffected()
    {
        var time = new FakeTimeProvider();
        var limiter = Limiter(time);
        var stranger = IPAddress.Parse("203.0.113.7");
        for (var i = 0; i < 20; i++)
        {
            Assert.True(limiter.TryTake(stranger));
        }

        Assert.False(limiter.TryTake(stranger));
        Assert.True(limiter.TryTake(IPAddress.Parse("203.0.113.8")));
        time.Advance(TimeSpan.FromSeconds(3)); // one join's worth
        Assert.True(limiter.TryTake(stranger));
        Assert.False(limiter.TryTake(stranger));
    }

    [Fact]
    public void An_ipv6_client_counts_by_its_64_and_ipv4_mapped_addresses_as_ipv4()
    {
        var limiter = Limiter(new FakeTimeProvider(), perMinute: 2);
        Assert.True(limiter.TryTake(IPAddress.Parse("2001:db8:1:2::1")));
        Assert.True(limiter.TryTake(IPAddress.Parse("2001:db8:1:2:ffff::9")));
        Assert.False(limiter.TryTake(IPAddress.Parse("2001:db8:1:2::abcd")));
        Assert.True(limiter.TryTake(IPAddress.Parse("2001:db8:1:3::1")));

        Assert.True(limiter.TryTake(IPAddress.Parse("198.51.100.1")));
        Assert.True(limiter.TryTake(IPAddress.Parse("::ffff:198.51.100.1")));
        Assert.False(limiter.TryTake(IPAddress.Parse("198.51.100.1")));
    }

    [Fact]
    public void Loopback_and_unknown_addresses_and_a_zero_limit_are_not_limited()
    {
        var limiter = Limiter(new FakeTimeProvider(), perMinute: 1);
        for (var i = 0; i < 10; i++)
        {
            Assert.True(limiter.TryTake(IPAddress.Loopback));
            Assert.True(limiter.TryTake(IPAddress.IPv6Loopback));
            Assert.True(limiter.TryTake(null));
        }

        var off = Limiter(new FakeTimeProvider(), perMinute: 0);
        Assert.All(Enumerable.Range(0, 50), _ => Assert.True(off.TryTake(IPAddress.Parse("203.0.113.7"))));
    }

    [Fact]
    public void Open_mode_admission_refuses_a_join_past_the_limit()
    {
        var time = new FakeTimeProvider();
        var signaling = Options.Create(new SignalingOptions { JoinsPerMinutePerAddress = 1 });
        var auth = Options.Create(new Parley.Access.AuthOptions());
        var tickets = new Parley.Access.ResumeTicketCodec(auth, time);
        var admission = new Admission(auth, signaling, new AccessFixture.GrantValidator(), tickets, new Parley.Access.AccessRevocations(time),
            new JoinRateLimiter(signaling, time));
        var stranger = IPAddress.Parse("203.0.113.7");
        var join = new Parley.Signaling.Protocol.JoinRequest(1, "r", "Eve", false);

        Assert.True(admission.TryAdmitJoin(join, null, stranger, out _, out _));
        Assert.False(admission.TryAdmitJoin(join, null, stranger, out _, out var error));
        Assert.Equal(Parley.Signaling.Protocol.ErrorCode.RateExceeded, error.Code);
        Assert.False(admission.MayCreate(stranger)); // a resume that would create a participant counts too
    }
}
