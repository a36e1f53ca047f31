using System.Net;
using Parley.Stun;

namespace Parley.Turn.Policy;

/// <summary>
/// Decides which peers an allocation may reach: default-deny of every special-purpose range and of the
/// server's own addresses, after reducing IPv4-embedding IPv6 spellings to IPv4, with explicit CIDR
/// exemptions. Pure: no I/O, no allocation per check. Applied on CreatePermission, ChannelBind and Send
/// (docs/turn-security.md, RFC 8656 §21.4 "the server MAY restrict the set of peers").
/// </summary>
public sealed class PeerPolicy
{
    /// <summary>The special-purpose ranges denied unless exempted (docs/turn-security.md, IANA registries).</summary>
    public static IReadOnlyList<string> DeniedRanges { get; } =
    [
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
        "192.0.0.0/24", "192.0.2.0/24", "192.31.196.0/24", "192.52.193.0/24", "192.88.99.0/24",
        "192.168.0.0/16", "192.175.48.0/24", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24",
        "224.0.0.0/4", "240.0.0.0/4", "255.255.255.255/32",
        "::/128", "::1/128", "64:ff9b::/96", "64:ff9b:1::/48", "100::/64", "2001::/23", "2001:db8::/32",
        "2002::/16", "3fff::/20", "5f00::/16", "fc00::/7", "fe80::/10", "ff00::/8",
    ];

    private static readonly IPRange[] Denied = [.. DeniedRanges.Select(IPRange.Parse)];

    private static readonly IPRange Ipv4Mapped = IPRange.Parse("::ffff:0:0/96");
    private static readonly IPRange Ipv4Compatible = IPRange.Parse("::/96");
    private static readonly IPRange Nat64 = IPRange.Parse("64:ff9b::/96");
    private static readonly IPRange SixToFour = IPRange.Parse("2002::/16");
    private static readonly IPRange Teredo = IPRange.Parse("2001::/32");

    private readonly IPRange[] _allowed;
    private readonly IPRange[] _own;
    private readonly int[] _ownPorts;

    /// <summary>Creates a policy.</summary>
    /// <param name="allowedRanges">CIDR ranges exempt from the deny list (Turn:AllowedPeerRanges).</param>
    /// <param name="ownAddresses">The server's listening, relay and external addresses (denied unless exempted).</param>
    /// <param name="ownPorts">
    /// The server's listening ports: a peer on one of the server's own addresses and one of these ports is
    /// denied even when exempted, so the relay can never talk to the TURN listener itself.
    /// </param>
    public PeerPolicy(IEnumerable<string> allowedRanges, IEnumerable<IPAddress> ownAddresses, IEnumerable<int>? ownPorts = null)
    {
        ArgumentNullException.ThrowIfNull(allowedRanges);
        ArgumentNullException.ThrowIfNull(ownAddresses);
        _allowed = [.. allowedRanges.Select(IPRange.Parse)];
        _own = [.. ownAddresses.Select(Canonical).Select(IPRange.Single)];
        _ownPorts = [.. ownPorts ?? []];
    }

    /// <summary>Whether relaying to <paramref name="peer"/> is allowed.</summary>
    public bool IsAllowed(in TransportAddress peer)
    {
        if (peer.Family is not (StunAddressFamily.IPv4 or StunAddressFamily.IPv6))
        {
            return false;
        }

        (bool v4, UInt128 value) = IPRange.ToValue(peer);
        if (!v4)
        {
            // RFC 4291 §2.5.5 (IPv4-mapped, IPv4-compatible) and RFC 6052 (NAT64 well-known prefix): these
            // spellings are the IPv4 address, so only that is judged.
            if (Ipv4Mapped.Contains(false, value) || Nat64.Contains(false, value)
                || (Ipv4Compatible.Contains(false, value) && value > 1))
            {
                return IsAllowed(true, (uint)value, peer.Port);
            }

            // RFC 3056 (6to4, 2002:AABB:CCDD::/48) and RFC 4380 (Teredo, client address inverted in the low
            // 32 bits): both the IPv6 address and the IPv4 address it leads to must pass.
            if (SixToFour.Contains(false, value) && !IsAllowed(true, (uint)(value >> 80), peer.Port))
            {
                return false;
            }

            if (Teredo.Contains(false, value) && !IsAllowed(true, ~(uint)value, peer.Port))
            {
                return false;
            }
        }

        return IsAllowed(v4, value, peer.Port);
    }

    /// <summary>Whether relaying to <paramref name="peer"/> (an IP end point) is allowed.</summary>
    public bool IsAllowed(IPEndPoint peer) => IsAllowed(new TransportAddress(peer));

    private bool IsAllowed(bool v4, UInt128 value, int port)
    {
        bool own = Matches(_own, v4, value);
        if (own && _ownPorts.Contains(port))
        {
            return false;
        }

        return !(own || Matches(Denied, v4, value)) || Matches(_allowed, v4, value);
    }

    private static bool Matches(IPRange[] ranges, bool v4, UInt128 value)
    {
        foreach (IPRange range in ranges)
        {
            if (range.Contains(v4, value))
            {
                return true;
            }
        }

        return false;
    }

    private static IPAddress Canonical(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
