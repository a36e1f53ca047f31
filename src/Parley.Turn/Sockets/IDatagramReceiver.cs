using System.Net;
using System.Net.Sockets;

namespace Parley.Turn.Sockets;

/// <summary>A UDP socket whose datagrams <see cref="UdpEventLoop"/> reads and hands over, on the loop's thread.</summary>
internal interface IDatagramReceiver
{
    /// <summary>The socket to read.</summary>
    Socket Socket { get; }

    /// <summary>Where the loop writes the sender's address (of the socket's family); used only on the loop's thread.</summary>
    SocketAddress ReceiveAddress { get; }

    /// <summary>
    /// One datagram: <paramref name="buffer"/> holds it at <paramref name="offset"/> (at least
    /// <see cref="Relay.IPeerDataSink.RelayHeadroom"/> bytes in), sent from <see cref="ReceiveAddress"/>.
    /// Must not block: every UDP socket of the server shares the thread.
    /// </summary>
    void OnDatagram(byte[] buffer, int offset, int length);
}
