using System.Net;
using System.Net.Sockets;
using Parley.Turn.Relay;

namespace Parley.Turn.Sockets;

/// <summary>Sends to one UDP client from a listener socket; the client's <see cref="SocketAddress"/> is built once.</summary>
internal sealed class UdpClientSender(Socket socket, SocketAddress client) : IClientSender
{
    public bool IsStream => false;

    public void Send(ReadOnlySpan<byte> message)
    {
        try
        {
            socket.SendTo(message, SocketFlags.None, client);
        }
        catch (SocketException)
        {
            // UDP: a failed send is a lost datagram.
        }
        catch (ObjectDisposedException)
        {
            // Shutting down.
        }
    }
}
