using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Parley.Turn;

/// <summary>The addresses the server listens and relays on, resolved once from <see cref="TurnOptions"/>.</summary>
internal sealed class TurnAddresses
{
    public TurnAddresses(IOptions<TurnOptions> options, HostAddresses host)
    {
        TurnOptions o = options.Value;
        Listen = IPAddress.Parse(o.ListenAddress);
        bool wildcard = Listen.Equals(IPAddress.Any) || Listen.Equals(IPAddress.IPv6Any);
        IReadOnlyList<IPAddress> hostAddresses = wildcard || o.RelayAddress is null ? host.Up() : [];
        (RelayIPv4, RelayIPv4Source) = o.RelayAddress is not null
            ? (IPAddress.Parse(o.RelayAddress), RelayAddressSource.Configured)
            : Listen.AddressFamily == AddressFamily.InterNetwork && !wildcard
                ? (Listen, RelayAddressSource.ListenAddress)
                : HostRelayAddress(hostAddresses, host);
        RelayIPv6 = o.RelayAddressIPv6 is null ? null : IPAddress.Parse(o.RelayAddressIPv6);
        ExternalIPv4 = o.ExternalAddress is null ? null : IPAddress.Parse(o.ExternalAddress);

        var own = new List<IPAddress>();
        if (wildcard)
        {
            own.AddRange(hostAddresses);
        }
        else
        {
            own.Add(Listen);
        }

        foreach (IPAddress? address in (IPAddress?[])[RelayIPv4, RelayIPv6, ExternalIPv4])
        {
            if (address is not null)
            {
                own.Add(address);
            }
        }

        OwnAddresses = own;
    }

    public IPAddress Listen { get; }

    /// <summary>Where IPv4 relay sockets bind; null when no IPv4 address of this host can relay (IPv4 Allocates then get 440).</summary>
    public IPAddress? RelayIPv4 { get; }

    /// <summary>How <see cref="RelayIPv4"/> was chosen, for the start-up log.</summary>
    public RelayAddressSource RelayIPv4Source { get; }

    public IPAddress? RelayIPv6 { get; }

    public IPAddress? ExternalIPv4 { get; }

    /// <summary>The relay addresses for the listeners' start-up line: "127.0.0.1", "192.0.2.7, 2001:db8::7", or "nowhere".</summary>
    public string RelayDescription =>
        RelayIPv4 is null && RelayIPv6 is null ? "nowhere" : string.Join(", ", new[] { RelayIPv4, RelayIPv6 }.OfType<IPAddress>());

    /// <summary>Says once which address relays, or why none can.</summary>
    public void LogRelay(ILogger logger)
    {
        switch (RelayIPv4Source)
        {
            case RelayAddressSource.None:
                TurnLog.CannotRelay(logger);
                break;
            case RelayAddressSource.LoopbackOnly:
                TurnLog.RelaysFromLoopbackOnly(logger, RelayIPv4!);
                break;
            default:
                TurnLog.RelaysFrom(logger, RelayIPv4!, RelayIPv4Source);
                break;
        }
    }

    /// <summary>Listening, relay and external addresses (every interface address for a wildcard listener).</summary>
    public IReadOnlyList<IPAddress> OwnAddresses { get; }

    /// <summary>
    /// Neither Turn:RelayAddress nor a specific IPv4 listen address: the host's first non-loopback IPv4 address
    /// that a socket can bind to, else loopback when that is all there is (a container or sandbox with only
    /// <c>lo</c>, a laptop offline), so that clients on this machine can still relay; else none.
    /// </summary>
    private static (IPAddress?, RelayAddressSource) HostRelayAddress(IReadOnlyList<IPAddress> addresses, HostAddresses host)
    {
        foreach (IPAddress address in addresses)
        {
            if (address.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(address) && host.CanBind(address))
            {
                return (address, RelayAddressSource.HostAddress);
            }
        }

        return host.CanBind(IPAddress.Loopback)
            ? (IPAddress.Loopback, RelayAddressSource.LoopbackOnly)
            : (null, RelayAddressSource.None);
    }
}

/// <summary>How the IPv4 relay address was chosen.</summary>
internal enum RelayAddressSource
{
    /// <summary>No IPv4 address of this host can relay.</summary>
    None,

    /// <summary>Turn:RelayAddress.</summary>
    Configured,

    /// <summary>Turn:ListenAddress, a specific IPv4 address.</summary>
    ListenAddress,

    /// <summary>The host's first non-loopback IPv4 address.</summary>
    HostAddress,

    /// <summary>Loopback, the host having no other IPv4 address.</summary>
    LoopbackOnly,
}
