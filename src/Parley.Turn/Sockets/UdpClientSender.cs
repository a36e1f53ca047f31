using System.Net;
using System.Net.Sockets;
using Parley.Turn.Relay;

namespace Parley.Turn.Sockets;

/// <summary>
/// Sends to one UDP client from a listener socket; the client's <see cref="SocketAddress"/> is built once. On a
/// <see cref="UdpEventLoop"/> thread the datagram joins the loop's batch (one <c>sendmmsg</c> per round).
/// </summary>
internal sealed class UdpClientSender(Socket socket, SocketAddress client) : IClientSender
{
    public bool IsStream => false;

    public bool NeverBlocks => true;

    public void Send(ReadOnlySpan<byte> message)
    {
        if (UdpEventLoop.Current is { } loop && loop.TryQueueSend(socket, client, message))
        {
            return;
        }

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
