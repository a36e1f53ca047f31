using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Parley.Turn;

/// <summary>The addresses the server listens and relays on, resolved once from <see cref="TurnOptions"/>.</summary>
internal sealed class TurnAddresses
{
    public TurnAddresses(IOptions<TurnOptions> options)
    {
        TurnOptions o = options.Value;
        Listen = IPAddress.Parse(o.ListenAddress);
        bool wildcard = Listen.Equals(IPAddress.Any) || Listen.Equals(IPAddress.IPv6Any);
        RelayIPv4 = o.RelayAddress is not null
            ? IPAddress.Parse(o.RelayAddress)
            : Listen.AddressFamily == AddressFamily.InterNetwork && !wildcard ? Listen : FirstHostAddress();
        RelayIPv6 = o.RelayAddressIPv6 is null ? null : IPAddress.Parse(o.RelayAddressIPv6);
        ExternalIPv4 = o.ExternalAddress is null ? null : IPAddress.Parse(o.ExternalAddress);

        var own = new List<IPAddress>();
        if (wildcard)
        {
            own.AddRange(HostAddresses());
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

    public IPAddress? RelayIPv4 { get; }

    public IPAddress? RelayIPv6 { get; }

    public IPAddress? ExternalIPv4 { get; }

    /// <summary>Listening, relay and external addresses (every interface address for a wildcard listener).</summary>
    public IReadOnlyList<IPAddress> OwnAddresses { get; }

    private static IPAddress? FirstHostAddress() =>
        HostAddresses().FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));

    private static List<IPAddress> HostAddresses()
    {
        NetworkInterface[] interfaces;
        try
        {
            interfaces = NetworkInterface.GetAllNetworkInterfaces();
        }
        catch (NetworkInformationException)
        {
            return [];
        }

        return interfaces
            .Where(i => i.OperationalStatus == OperationalStatus.Up)
            .SelectMany(i => i.GetIPProperties().UnicastAddresses)
            .Select(u => u.Address)
            .ToList();
    }
}
