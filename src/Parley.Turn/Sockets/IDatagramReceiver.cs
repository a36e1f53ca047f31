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
    /// Whether the socket holds about one datagram a round (a relay socket: one peer's share of the traffic), so the
    /// loop reads it with the round's other such reads in one io_uring submission (<see cref="RingReads"/>). False for
    /// a socket that holds many (the listener, every client's traffic), read with <c>recvmmsg</c>.
    /// </summary>
    bool FewPerRound => false;

    /// <summary>
    /// One datagram: <paramref name="buffer"/> holds it at <paramref name="offset"/> (at least
    /// <see cref="Relay.IPeerDataSink.RelayHeadroom"/> bytes in), sent from <see cref="ReceiveAddress"/>.
    /// Must not block: every UDP socket of the server shares the thread.
    /// </summary>
    void OnDatagram(byte[] buffer, int offset, int length);
}
