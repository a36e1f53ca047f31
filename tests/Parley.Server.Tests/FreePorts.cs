using System.Net;
using System.Net.Sockets;

namespace Parley.Server.Tests;

/// <summary>
/// Loopback ports free at the time of asking, for servers that must be told their port up front. They are drawn at
/// random from below the kernel's ephemeral range (<c>ip_local_port_range</c>, 32768-60999 by default), never by
/// binding port 0: a port the kernel hands out that way is one the next outgoing connection of any process may take
/// between our check and the server's bind, which on a busy machine made a server start fail now and then.
/// </summary>
public static class FreePorts
{
    private const int Lowest = 15000;
    private static readonly int Highest = Math.Max(Lowest + 1000, EphemeralRangeStart() - 1);

    public static int Tcp() => Find(udpToo: false);

    /// <summary>A port free for both UDP and TCP, as a TURN listener needs.</summary>
    public static int UdpAndTcp() => Find(udpToo: true);

    /// <summary>Whether nothing holds the port: it can be bound for TCP (and UDP, with <paramref name="udpToo"/>) on 127.0.0.1.</summary>
    public static bool IsFree(int port, bool udpToo = false)
    {
        try
        {
            using var tcp = new TcpListener(IPAddress.Loopback, port);
            tcp.Start();
            if (udpToo)
            {
                using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, port));
            }

            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int Find(bool udpToo)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var port = Random.Shared.Next(Lowest, Highest + 1);
            if (IsFree(port, udpToo))
            {
                return port;
            }
        }

        throw new InvalidOperationException($"No port between {Lowest} and {Highest} free on 127.0.0.1 in 200 tries.");
    }

    private static int EphemeralRangeStart()
    {
        try
        {
            var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
            return int.TryParse(range[0], out var start) ? start : 32768;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or IndexOutOfRangeException)
        {
            return 32768;
        }
    }
}
