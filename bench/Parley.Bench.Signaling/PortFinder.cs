using System.Net;
using System.Net.Sockets;

namespace Parley.Bench.Signaling;

internal static class PortFinder
{
    /// <summary>A TCP port on 127.0.0.1 that was free a moment ago.</summary>
    public static int FreeTcpPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>
    /// A port on 127.0.0.1 free a moment ago with the next one free too (two nodes: the port and the one after it),
    /// drawn below the kernel's ephemeral range: bind(0) hands out odd ports there while outgoing connections take
    /// the even ones, so after a run with thousands of client connections "port + 1" was nearly always taken.
    /// </summary>
    public static int FreeTcpPortPair()
    {
        for (int attempt = 0; attempt < 200; attempt++)
        {
            int port = Random.Shared.Next(15000, 32000);
            if (IsFree(port) && IsFree(port + 1))
            {
                return port;
            }
        }

        throw new InvalidOperationException("No two consecutive free TCP ports between 15000 and 32000 on 127.0.0.1 in 200 tries.");
    }

    private static bool IsFree(int port)
    {
        try
        {
            var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
