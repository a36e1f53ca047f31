using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Parley.Stun;
using Parley.Turn.Relay;

namespace Parley.Turn.Sockets;

/// <summary>
/// TURN over UDP on Turn:ListenAddress:Turn:Port, with a Turn:SocketReceiveBufferBytes receive buffer. On Linux
/// the socket is read by the server's <see cref="UdpEventLoop"/> (<see cref="OnDatagram"/>); elsewhere by one
/// receive loop with one pooled buffer and the allocation-free
/// <c>ReceiveFromAsync(Memory, SocketFlags, SocketAddress, CancellationToken)</c>. Errors are caught per
/// datagram; only cancellation stops the loop.
/// </summary>
internal sealed class TurnUdpListener : BackgroundService, IClientTransport, IDatagramReceiver
{
    private readonly TurnServer _server;
    private readonly ILogger<TurnUdpListener> _logger;
    private readonly byte[] _response = new byte[TurnRequestHandler.MaxResponseLength];
    private Socket? _socket;
    private TransportAddress _local;
    private SocketAddress? _receiveAddress;

    public TurnUdpListener(TurnServer server, ILogger<TurnUdpListener> logger)
    {
        _server = server;
        _logger = logger;
    }

    /// <summary>The bound end point (after start).</summary>
    public IPEndPoint? LocalEndPoint => (IPEndPoint?)_socket?.LocalEndPoint;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (!_server.Options.Enabled)
        {
            TurnLog.Disabled(_logger);
            return Task.CompletedTask;
        }

        IPAddress listen = _server.Addresses.Listen;
        _socket = new Socket(listen.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        if (listen.AddressFamily == AddressFamily.InterNetworkV6)
        {
            _socket.DualMode = true;
        }

        // A burst while the process is descheduled must fit in the kernel's queue, or it is dropped
        // (the kernel caps the size at net.core.rmem_max).
        _socket.ReceiveBufferSize = _server.Options.SocketReceiveBufferBytes;
        _socket.Bind(new IPEndPoint(listen, _server.Options.Port));
        _receiveAddress = new SocketAddress(_socket.AddressFamily, _socket.AddressFamily == AddressFamily.InterNetworkV6 ? 28 : 16);
        _local = new TransportAddress((IPEndPoint)_socket.LocalEndPoint!);
        TurnLog.Listening(_logger, "udp", _local, _server.Addresses.RelayIPv4);
        return base.StartAsync(cancellationToken);
    }

    public Socket Socket => _socket ?? throw new InvalidOperationException("The listener is not started.");

    public SocketAddress ReceiveAddress => _receiveAddress ?? throw new InvalidOperationException("The listener is not started.");

    /// <summary>A datagram read by the event loop (on its thread): handled, and the reply sent, synchronously.</summary>
    public void OnDatagram(byte[] buffer, int offset, int length)
    {
        SocketAddress from = ReceiveAddress;
        TransportAddress client = SocketAddressCodec.Read(from);
        int reply = _server.Handler.HandleClientPacket(buffer.AsSpan(offset, length), new FiveTuple(client, _local, TurnTransport.Udp),
            this, _response);
        if (reply > 0)
        {
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
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_socket is not { } socket)
        {
            return;
        }

        if (_server.Loop is { } loop)
        {
            ulong key = loop.Register(this);
            try
            {
                await Task.Delay(Timeout.Infinite, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
            finally
            {
                loop.Unregister(key, socket);
            }

            return;
        }

        await Task.Yield();
        byte[] buffer = ArrayPool<byte>.Shared.Rent(StunMessage.MaxLength);
        byte[] response = ArrayPool<byte>.Shared.Rent(TurnRequestHandler.MaxResponseLength);
        var from = new SocketAddress(socket.AddressFamily, socket.AddressFamily == AddressFamily.InterNetworkV6 ? 28 : 16);
        TurnRequestHandler handler = _server.Handler;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                TransportAddress client = default;
                try
                {
                    int received = await socket.ReceiveFromAsync(buffer.AsMemory(0, StunMessage.MaxLength), SocketFlags.None, from,
                        stoppingToken).ConfigureAwait(false);
                    client = SocketAddressCodec.Read(from);
                    int length = handler.HandleClientPacket(buffer.AsSpan(0, received), new FiveTuple(client, _local, TurnTransport.Udp),
                        this, response);
                    if (length > 0)
                    {
                        socket.SendTo(response.AsSpan(0, length), SocketFlags.None, from);
                        response.AsSpan(0, length).Clear();
                    }
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    break;
                }
                catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionReset or SocketError.MessageSize
                    or SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.WouldBlock)
                {
                    TurnLog.SocketError(_logger, ex.SocketErrorCode, _local);
                }
#pragma warning disable CA1031 // One bad datagram never ends the receive loop; only cancellation does.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    TurnLog.PacketFailed(_logger, ex, client);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            ArrayPool<byte>.Shared.Return(response);
        }
    }

    public IClientSender CreateSender(in FiveTuple tuple)
    {
        Socket socket = _socket ?? throw new InvalidOperationException("The listener is not started.");
        return new UdpClientSender(socket, SocketAddressCodec.Create(tuple.Client, socket.AddressFamily));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        _server.Allocations.Clear();
        _socket?.Dispose();
    }

    public override void Dispose()
    {
        _socket?.Dispose();
        base.Dispose();
    }

    private sealed class UdpClientSender(Socket socket, SocketAddress client) : IClientSender
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
}
