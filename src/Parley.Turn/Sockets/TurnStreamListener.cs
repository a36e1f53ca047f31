using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Parley.Stun;
using Parley.Turn.Relay;

namespace Parley.Turn.Sockets;

/// <summary>
/// Accept loop shared by TURN over TCP and TURN over TLS (RFC 8656 §3.1, RFC 7065 <c>turns:</c>): binds
/// Turn:ListenAddress on <see cref="Port"/>, bounds the number of connections, and hands each accepted
/// connection, after <see cref="OpenAsync"/> (plain or TLS), to <see cref="TurnStreamConnection"/>; or, where the
/// transport allows it (<see cref="ServedByEventLoops"/>: plain TCP) and the server runs UDP event loops (Linux), to a
/// <see cref="TcpLoopConnection"/> on one of those loops, in turn.
/// </summary>
internal abstract class TurnStreamListener : BackgroundService
{
    private readonly int _maxConnections;
    private Socket? _listener;
    private int _connections;
    private int _nextLoop;
    private readonly ConcurrentDictionary<TcpLoopConnection, byte> _onLoops = new();

    protected TurnStreamListener(TurnServer server, ILogger logger)
    {
        Server = server;
        Logger = logger;
        _maxConnections = server.Options.MaxAllocations + 64;
    }

    protected TurnServer Server { get; }

    protected ILogger Logger { get; }

    /// <summary>The bound address (valid once started).</summary>
    public TransportAddress Local { get; private set; }

    /// <summary>"tcp" or "tls", for the log.</summary>
    protected abstract string TransportName { get; }

    /// <summary>The port to listen on.</summary>
    protected abstract int Port { get; }

    /// <summary>Whether connections may be served by the server's event loops (non-blocking sockets, no stream wrapper).</summary>
    protected virtual bool ServedByEventLoops => false;

    /// <summary>Whether this listener runs (checked at start, after Turn:Enabled).</summary>
    protected virtual bool IsEnabled => true;

    /// <summary>Turns an accepted socket into the stream TURN messages are read from and written to.</summary>
    protected abstract ValueTask<Stream> OpenAsync(Socket socket, CancellationToken cancellationToken);

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (!Server.Options.Enabled || !IsEnabled)
        {
            return Task.CompletedTask;
        }

        IPAddress listen = Server.Addresses.Listen;
        _listener = new Socket(listen.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        if (listen.AddressFamily == AddressFamily.InterNetworkV6)
        {
            _listener.DualMode = true;
        }

        _listener.Bind(new IPEndPoint(listen, Port));
        _listener.Listen(128);
        Local = new TransportAddress((IPEndPoint)_listener.LocalEndPoint!);
        TurnLog.Listening(Logger, TransportName, Local, Server.Addresses.RelayDescription);
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
                TurnLog.SocketError(Logger, ex.SocketErrorCode, Local);
                continue;
            }
            catch (ObjectDisposedException)
            {
                break;
            }

            if (Interlocked.Increment(ref _connections) > _maxConnections)
            {
                Interlocked.Decrement(ref _connections);
                client.Dispose();
                continue;
            }

            if (ServedByEventLoops && Server.Loops.Length > 0)
            {
                ServeOnLoop(client);
                continue;
            }

            _ = Task.Run(() => RunAsync(client, stoppingToken), CancellationToken.None);
        }
    }

    private void ServeOnLoop(Socket socket)
    {
        try
        {
            UdpEventLoop loop = Server.Loops[(int)((uint)Interlocked.Increment(ref _nextLoop) % (uint)Server.Loops.Length)];
            var connection = new TcpLoopConnection(Server, Logger, socket, loop, TupleOf(socket), OnLoopConnectionClosed);
            _onLoops[connection] = 0;
            connection.Start();
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Gone before it could be served (no remote end point any more).
            socket.Dispose();
            Interlocked.Decrement(ref _connections);
        }
    }

    private void OnLoopConnectionClosed(TcpLoopConnection connection)
    {
        if (_onLoops.TryRemove(connection, out _))
        {
            Interlocked.Decrement(ref _connections);
        }
    }

    private FiveTuple TupleOf(Socket socket)
    {
        var remote = (IPEndPoint)socket.RemoteEndPoint!;
        TransportAddress client = new(remote.Address.IsIPv4MappedToIPv6 ? remote.Address.MapToIPv4() : remote.Address,
            (ushort)remote.Port);
        return new FiveTuple(client, Local, TurnTransport.Tcp);
    }

    private async Task RunAsync(Socket socket, CancellationToken stoppingToken)
    {
        socket.NoDelay = true;
        FiveTuple tuple = TupleOf(socket);
        TransportAddress client = tuple.Client;
        Stream? stream = null;
        try
        {
            stream = await OpenAsync(socket, stoppingToken).ConfigureAwait(false);
            await new TurnStreamConnection(Server, Logger, stream, tuple).RunAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (SocketException ex)
        {
            TurnLog.SocketError(Logger, ex.SocketErrorCode, client);
        }
#pragma warning disable CA1031 // A failing connection (including a failed TLS handshake) is closed; the listener goes on.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            TurnLog.ConnectionFailed(Logger, ex, TransportName, client);
        }
        finally
        {
            // RFC 8656 §3.1: with TCP (and TLS), the allocation lives and dies with the connection.
            Server.Allocations.RemoveTuple(tuple);
            if (stream is not null)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }

            socket.Dispose();
            Interlocked.Decrement(ref _connections);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        _listener?.Dispose();
        foreach (TcpLoopConnection connection in _onLoops.Keys)
        {
            connection.Dispose();
        }
    }

    public override void Dispose()
    {
        _listener?.Dispose();
        base.Dispose();
        GC.SuppressFinalize(this);
    }
}
