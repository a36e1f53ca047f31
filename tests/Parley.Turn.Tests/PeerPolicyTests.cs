using System.Net;
using Parley.Stun;
using Parley.Tests.Shared;
using Parley.Turn.Policy;

namespace Parley.Turn.Tests;

public class PeerPolicyTests
{
    private static readonly PeerPolicy Default = new([], [IPAddress.Parse("8.8.4.4")], [3478]);

    public static TheoryData<string> DeniedRangeSamples()
    {
        var samples = new SortedSet<string>(StringComparer.Ordinal);
        foreach (string range in PeerPolicy.DeniedRanges)
        {
            IPNetwork network = IPNetwork.Parse(range);
            samples.Add(network.BaseAddress.ToString());
            // The last address of the range too.
            byte[] bytes = network.BaseAddress.GetAddressBytes();
            int hostBits = (bytes.Length * 8) - network.PrefixLength;
            for (int i = bytes.Length - 1; i >= 0 && hostBits > 0; i--, hostBits -= 8)
            {
                bytes[i] |= (byte)(hostBits >= 8 ? 0xFF : (1 << hostBits) - 1);
            }

            samples.Add(new IPAddress(bytes).ToString());
        }

        // A set: single-address ranges have one end, and 240/4 ends where 255.255.255.255/32 is.
        return [.. samples];
    }

    [Theory]
    [MemberData(nameof(DeniedRangeSamples))]
    public void Every_special_purpose_range_is_denied_at_both_ends(string address)
    {
        Assert.False(Default.IsAllowed(new IPEndPoint(IPAddress.Parse(address), 5000)));
    }

    [Theory]
    // The spellings of loopback, the metadata service and private ranges that bypassed other servers.
    [InlineData("127.0.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("::1")]
    [InlineData("::")]
    [InlineData("::ffff:127.0.0.1")] // IPv4-mapped (CVE-2026-27624)
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("::ffff:10.1.2.3")]
    [InlineData("::127.0.0.1")] // IPv4-compatible
    [InlineData("::169.254.169.254")]
    [InlineData("::10.0.0.1")]
    [InlineData("64:ff9b::7f00:1")] // NAT64 of 127.0.0.1
    [InlineData("64:ff9b::a9fe:a9fe")] // NAT64 of 169.254.169.254
    [InlineData("64:ff9b:1::1")] // local-use NAT64
    [InlineData("2002:7f00:1::1")] // 6to4 of 127.0.0.1
    [InlineData("2002:a9fe:a9fe::")] // 6to4 of 169.254.169.254
    [InlineData("2002:808:808::1")] // 6to4 of a public address: 2002::/16 itself is denied
    [InlineData("2001:0:4136:e378:8000:63bf:80ff:fffe")] // Teredo, client 127.0.0.1
    [InlineData("fe80::1")]
    [InlineData("fd00::1")]
    [InlineData("ff02::1")]
    [InlineData("2001:db8::1")]
    [InlineData("100::1")]
    [InlineData("3fff::1")]
    [InlineData("5f00::1")]
    [InlineData("255.255.255.255")]
    [InlineData("224.0.0.1")]
    [InlineData("8.8.4.4")] // the server's own address
    [InlineData("::ffff:8.8.4.4")] // ... in IPv4-mapped spelling
    public void Denied_spellings(string address)
    {
        Assert.False(Default.IsAllowed(new IPEndPoint(IPAddress.Parse(address), 5000)));
    }

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("1.1.1.1")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("::8.8.8.8")]
    [InlineData("64:ff9b::808:808")] // NAT64 of a public address: judged as 8.8.8.8 ...
    [InlineData("2606:4700:4700::1111")]
    [InlineData("2a00:1450:4001:82a::200e")]
    [InlineData("100.63.255.255")] // just below 100.64/10
    [InlineData("100.128.0.0")] // just above
    [InlineData("172.32.0.1")]
    [InlineData("198.20.0.1")]
    public void Public_addresses_are_allowed(string address)
    {
        Assert.True(Default.IsAllowed(new IPEndPoint(IPAddress.Parse(address), 5000)));
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("127.255.0.9", true)]
    [InlineData("::ffff:127.0.0.1", true)]
    [InlineData("::127.0.0.1", true)]
    [InlineData("64:ff9b::7f00:1", true)]
    [InlineData("2002:7f00:1::1", false)] // 2002::/16 itself is not exempted
    [InlineData("10.0.0.1", false)]
    [InlineData("::1", false)]
    [InlineData("169.254.169.254", false)]
    public void Exempt_ranges_apply_after_canonicalisation(string address, bool allowed)
    {
        var policy = new PeerPolicy(["127.0.0.0/8"], [], [3478]);
        Assert.Equal(allowed, policy.IsAllowed(new IPEndPoint(IPAddress.Parse(address), 5000)));
    }

    [Fact]
    public void Exempting_own_addresses_still_denies_the_turn_listener_port()
    {
        var policy = new PeerPolicy(["127.0.0.0/8"], [IPAddress.Loopback], [3478]);
        Assert.True(policy.IsAllowed(new IPEndPoint(IPAddress.Loopback, 50000)));
        Assert.False(policy.IsAllowed(new IPEndPoint(IPAddress.Loopback, 3478)));
        Assert.False(policy.IsAllowed(new IPEndPoint(IPAddress.Parse("::ffff:127.0.0.1"), 3478)));
    }

    [Fact]
    public void An_exempted_ipv6_range_lets_its_addresses_through()
    {
        var policy = new PeerPolicy(["fd00::/8"], [], []);
        Assert.True(policy.IsAllowed(new IPEndPoint(IPAddress.Parse("fd12::1"), 1)));
        Assert.False(policy.IsAllowed(new IPEndPoint(IPAddress.Parse("fe80::1"), 1)));
    }

    [Fact]
    public void Default_transport_address_is_denied()
    {
        Assert.False(Default.IsAllowed(default(TransportAddress)));
    }

    [Fact]
    public void Checking_allocates_nothing()
    {
        var peer = new TransportAddress(IPAddress.Parse("2002:7f00:1::1"), 1);
        int allowed = 0;
        AllocationRounds.AssertSteadyStateAllocatesNothing(() =>
        {
            for (int i = 0; i < 100; i++)
            {
                allowed += Default.IsAllowed(peer) ? 1 : 0;
            }
        });
        Assert.Equal(0, allowed);
    }
}
