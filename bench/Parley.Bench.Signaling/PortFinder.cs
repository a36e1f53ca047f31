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

    /// <summary>A port on 127.0.0.1 free a moment ago with the next one free too (two nodes: the port and the one after it).</summary>
    public static int FreeTcpPortPair()
    {
        for (int attempt = 0; attempt < 100; attempt++)
        {
            int port = FreeTcpPort();
            try
            {
                var next = new TcpListener(IPAddress.Loopback, port + 1);
                next.Start();
                next.Stop();
                return port;
            }
            catch (SocketException)
            {
                // taken: try another
            }
        }

        throw new InvalidOperationException("No two consecutive free TCP ports on 127.0.0.1 in 100 tries.");
    }
}
