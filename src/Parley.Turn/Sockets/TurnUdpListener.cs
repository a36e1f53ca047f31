using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Parley.Stun;
using Parley.Turn.Relay;

namespace Parley.Turn.Sockets;

/// <summary>
/// TURN over UDP on Turn:ListenAddress:Turn:Port, with a Turn:SocketReceiveBufferBytes receive buffer. On Linux
/// there is one socket per <see cref="UdpEventLoop"/> (SO_REUSEPORT: the kernel spreads clients over them by
/// address hash, so one client's datagrams stay in order on one thread), each a <see cref="UdpListenerSocket"/>.
/// Elsewhere one socket is read by one receive loop with one pooled buffer and the allocation-free
/// <c>ReceiveFromAsync(Memory, SocketFlags, SocketAddress, CancellationToken)</c>. Errors are caught per
/// datagram; only cancellation stops the loop.
/// </summary>
internal sealed class TurnUdpListener : BackgroundService, IClientTransport
{
    private const int SolSocket = 1; // SOL_SOCKET on Linux.
    private const int ReusePort = 15; // SO_REUSEPORT on Linux.
    private readonly TurnServer _server;
    private readonly ILogger<TurnUdpListener> _logger;
    private Socket[] _sockets = [];
    private TransportAddress _local;

    public TurnUdpListener(TurnServer server, ILogger<TurnUdpListener> logger)
    {
        _server = server;
        _logger = logger;
    }

    /// <summary>The bound end point (after start).</summary>
    public IPEndPoint? LocalEndPoint => _sockets.Length == 0 ? null : (IPEndPoint?)_sockets[0].LocalEndPoint;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (!_server.Options.Enabled)
        {
            TurnLog.Disabled(_logger);
            return Task.CompletedTask;
        }

        var endPoint = new IPEndPoint(_server.Addresses.Listen, _server.Options.Port);
        var sockets = new List<Socket>();
        int count = Math.Max(1, _server.Loops.Length);
        try
        {
            for (int i = 0; i < count; i++)
            {
                sockets.Add(Bind(endPoint, reusePort: count > 1));
                endPoint = (IPEndPoint)sockets[0].LocalEndPoint!; // Port 0: the others join the port the first one got.
            }
        }
        catch
        {
            sockets.ForEach(socket => socket.Dispose());
            throw;
        }

        _sockets = [.. sockets];

        _local = new TransportAddress(endPoint);
        TurnLog.Listening(_logger, "udp", _local, _server.Addresses.RelayDescription);
        if (_server.Loops.Length > 0)
        {
            TurnLog.UdpEventLoops(_logger, _server.Loops.Length, RuntimeInformation.ProcessArchitecture);
        }
        else
        {
            TurnLog.UdpAsyncLoops(_logger);
        }

        return base.StartAsync(cancellationToken);
    }

    private Socket Bind(IPEndPoint endPoint, bool reusePort)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (endPoint.AddressFamily == AddressFamily.InterNetworkV6)
            {
                socket.DualMode = true;
            }

            if (reusePort)
            {
                // Only sockets of the same user can join the port (Linux), so no other account can take its traffic.
                socket.SetRawSocketOption(SolSocket, ReusePort, BitConverter.GetBytes(1));
            }

            // A burst while the process is descheduled must fit in the kernel's queue, or it is dropped
            // (the kernel caps the size at net.core.rmem_max).
            socket.ReceiveBufferSize = _server.Options.SocketReceiveBufferBytes;
            socket.Bind(endPoint);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_sockets.Length == 0)
        {
            return;
        }

        Socket socket = _sockets[0];
        if (_server.Loops.Length > 0)
        {
            await ReceiveOnLoopsAsync(stoppingToken).ConfigureAwait(false);
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

    private async Task ReceiveOnLoopsAsync(CancellationToken stoppingToken)
    {
        var keys = new ulong[_sockets.Length];
        for (int i = 0; i < _sockets.Length; i++)
        {
            keys[i] = _server.Loops[i].Register(new UdpListenerSocket(_sockets[i], _server.Handler, _logger));
        }

        try
        {
            await Task.Delay(Timeout.Infinite, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            for (int i = 0; i < _sockets.Length; i++)
            {
                _server.Loops[i].Unregister(keys[i], _sockets[i]);
            }
        }
    }

    /// <summary>For the portable receive loop: senders on the one socket.</summary>
    public IClientSender CreateSender(in FiveTuple tuple)
    {
        Socket socket = _sockets.Length > 0 ? _sockets[0] : throw new InvalidOperationException("The listener is not started.");
        return new UdpClientSender(socket, SocketAddressCodec.Create(tuple.Client, socket.AddressFamily));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        _server.Allocations.Clear();
        foreach (Socket socket in _sockets)
        {
            socket.Dispose();
        }
    }

    public override void Dispose()
    {
        foreach (Socket socket in _sockets)
        {
            socket.Dispose();
        }

        base.Dispose();
    }
}
