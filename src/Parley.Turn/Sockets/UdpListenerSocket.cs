using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Parley.Stun;
using Parley.Turn.Relay;

namespace Parley.Turn.Sockets;

/// <summary>
/// One socket of the UDP listener, read by one <see cref="UdpEventLoop"/>: each client datagram is handled and
/// the reply sent synchronously on the loop's thread, with one reply buffer and one sender address per socket.
/// Allocations made through it send to their client from this socket.
/// </summary>
internal sealed class UdpListenerSocket : IDatagramReceiver, IClientTransport
{
    private readonly TurnRequestHandler _handler;
    private readonly ILogger _logger;
    private readonly byte[] _response = new byte[TurnRequestHandler.MaxResponseLength];
    private readonly TransportAddress _local;

    public UdpListenerSocket(Socket socket, TurnRequestHandler handler, ILogger logger)
    {
        Socket = socket;
        _handler = handler;
        _logger = logger;
        _local = new TransportAddress((IPEndPoint)socket.LocalEndPoint!);
        ReceiveAddress = new SocketAddress(socket.AddressFamily, socket.AddressFamily == AddressFamily.InterNetworkV6 ? 28 : 16);
    }

    public Socket Socket { get; }

    public SocketAddress ReceiveAddress { get; }

    public void OnDatagram(byte[] buffer, int offset, int length)
    {
        SocketAddress from = ReceiveAddress;
        TransportAddress client = SocketAddressCodec.Read(from);
        int reply = _handler.HandleClientPacket(buffer.AsSpan(offset, length), new FiveTuple(client, _local, TurnTransport.Udp),
            this, _response);
        if (reply <= 0)
        {
            return;
        }

        try
        {
            Socket.SendTo(_response.AsSpan(0, reply), SocketFlags.None, from);
        }
        catch (SocketException ex)
        {
            TurnLog.SocketError(_logger, ex.SocketErrorCode, _local);
        }
        finally
        {
            _response.AsSpan(0, reply).Clear();
        }
    }

    public IClientSender CreateSender(in FiveTuple tuple) =>
        new UdpClientSender(Socket, SocketAddressCodec.Create(tuple.Client, Socket.AddressFamily));
}
