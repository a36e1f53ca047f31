using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Parley.Stun;
using Parley.Turn.Relay;

namespace Parley.Turn.Sockets;

/// <summary>
/// TURN over TCP on Turn:ListenAddress:Turn:Port (RFC 8656 §3.1; the relay is still UDP, RFC 6062 TCP
/// relaying is not offered). Messages are cut from the stream with <see cref="StunFraming"/>; closing the
/// connection deletes its allocation.
/// </summary>
internal sealed class TurnTcpListener : BackgroundService
{
    private readonly TurnServer _server;
    private readonly ILogger<TurnTcpListener> _logger;
    private readonly int _maxConnections;
    private Socket? _listener;
    private TransportAddress _local;
    private int _connections;

    public TurnTcpListener(TurnServer server, ILogger<TurnTcpListener> logger)
    {
        _server = server;
        _logger = logger;
        _maxConnections = server.Options.MaxAllocations + 64;
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (!_server.Options.Enabled)
        {
            return Task.CompletedTask;
        }

        IPAddress listen = _server.Addresses.Listen;
        _listener = new Socket(listen.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        if (listen.AddressFamily == AddressFamily.InterNetworkV6)
        {
            _listener.DualMode = true;
        }

        _listener.Bind(new IPEndPoint(listen, _server.Options.Port));
        _listener.Listen(128);
        _local = new TransportAddress((IPEndPoint)_listener.LocalEndPoint!);
        TurnLog.Listening(_logger, "tcp", _local, _server.Addresses.RelayIPv4);
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_listener is not { } listener)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (SocketException ex)
            {
                TurnLog.SocketError(_logger, ex.SocketErrorCode, _local);
                continue;
            }

            if (Interlocked.Increment(ref _connections) > _maxConnections)
            {
                Interlocked.Decrement(ref _connections);
                client.Dispose();
                continue;
            }

            _ = Task.Run(() => RunConnectionAsync(client, stoppingToken), CancellationToken.None);
        }
    }

    private async Task RunConnectionAsync(Socket socket, CancellationToken stoppingToken)
    {
        socket.NoDelay = true;
        var remote = (IPEndPoint)socket.RemoteEndPoint!;
        TransportAddress clientAddress = new(remote.Address.IsIPv4MappedToIPv6 ? remote.Address.MapToIPv4() : remote.Address,
            (ushort)remote.Port);
        var tuple = new FiveTuple(clientAddress, _local, TurnTransport.Tcp);
        var connection = new TcpClientConnection(socket);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(2 * StunMessage.MaxLength);
        byte[] response = ArrayPool<byte>.Shared.Rent(TurnRequestHandler.MaxResponseLength);
        int filled = 0;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                int read = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, stoppingToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                filled += read;
                int consumed = 0;
                while (StunFraming.TryGetFrameLength(buffer.AsSpan(consumed, filled - consumed), out StunFrameKind kind, out int frameLength))
                {
                    if (filled - consumed < frameLength)
                    {
                        break;
                    }

                    int length = HandleFrame(buffer.AsSpan(consumed, frameLength), tuple, connection, response);
                    if (length > 0)
                    {
                        connection.Send(response.AsSpan(0, length));
                        response.AsSpan(0, length).Clear();
                    }

                    consumed += frameLength;
                    _ = kind;
                }

                if (filled - consumed >= 4
                    && !StunFraming.TryGetFrameLength(buffer.AsSpan(consumed, filled - consumed), out _, out _))
                {
                    break; // Neither STUN nor ChannelData: the stream cannot be resynchronised.
                }

                buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
                filled -= consumed;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (SocketException ex)
        {
            TurnLog.SocketError(_logger, ex.SocketErrorCode, clientAddress);
        }
#pragma warning disable CA1031 // A failing connection is closed; the listener goes on.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            TurnLog.PacketFailed(_logger, ex, clientAddress);
        }
        finally
        {
            // RFC 8656 §3.1: with TCP, the allocation lives and dies with the connection.
            _server.Allocations.RemoveTuple(tuple);
            socket.Dispose();
            Interlocked.Decrement(ref _connections);
            ArrayPool<byte>.Shared.Return(buffer);
            ArrayPool<byte>.Shared.Return(response);
        }
    }

    private int HandleFrame(ReadOnlySpan<byte> frame, in FiveTuple tuple, TcpClientConnection connection, Span<byte> response)
    {
        try
        {
            return _server.Handler.HandleClientPacket(frame, tuple, connection, response);
        }
#pragma warning disable CA1031 // One bad message never ends the connection.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            TurnLog.PacketFailed(_logger, ex, tuple.Client);
            return 0;
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        _listener?.Dispose();
    }

    public override void Dispose()
    {
        _listener?.Dispose();
        base.Dispose();
    }

    private sealed class TcpClientConnection(Socket socket) : IClientTransport, IClientSender
    {
        private readonly Lock _lock = new();

        public bool IsStream => true;

        public IClientSender CreateSender(in FiveTuple tuple) => this;

        public void Send(ReadOnlySpan<byte> message)
        {
            try
            {
                lock (_lock)
                {
                    while (!message.IsEmpty)
                    {
                        message = message[socket.Send(message, SocketFlags.None)..];
                    }
                }
            }
            catch (SocketException)
            {
                // The connection is going away; its read loop cleans up.
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }
}
