using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Parley.Turn;

/// <summary>
/// The machine's own addresses, as far as TURN needs them: which interface addresses are up, and whether a relay
/// socket can bind to one. A class of its own so that tests can stand in for a host with other interfaces.
/// </summary>
internal class HostAddresses
{
    /// <summary>Unicast addresses of the interfaces that are up (Linux reports loopback as unknown, so not it); empty if they cannot be read.</summary>
    public virtual IReadOnlyList<IPAddress> Up()
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

    /// <summary>Whether a UDP socket can bind to <paramref name="address"/> (with any port): the test of a usable relay address.</summary>
    public virtual bool CanBind(IPAddress address)
    {
        try
        {
            using var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            socket.Bind(new IPEndPoint(address, 0));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
