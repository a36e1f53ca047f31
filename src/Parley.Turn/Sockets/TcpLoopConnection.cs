using System.Buffers;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Parley.Stun;
using Parley.Turn.Relay;

namespace Parley.Turn.Sockets;

/// <summary>
/// One TURN client over TCP (RFC 8656 §3.1) served by a <see cref="UdpEventLoop"/> (Linux): its non-blocking socket
/// is read on the loop's thread when epoll reports it readable, frames are cut and handled there
/// (<see cref="StreamFrameHandler"/>), and its allocation's relay socket is read by the same loop, so a relayed packet
/// crosses no thread. Writes never block: what the socket cannot take at once waits in a per-connection backlog of at
/// most Turn:StreamSendBacklogBytes, flushed when epoll reports the socket writable; a message that does not fit is
/// dropped whole (the stream's framing stays intact; for voice a late packet is worth no more than a lost one).
/// Closing the connection deletes its allocation.
/// </summary>
internal sealed class TcpLoopConnection : IStreamReceiver, IClientTransport, IClientSender, IRingSendOwner, IDisposable
{
    /// <summary>Reads per readiness event: bounds one connection's turn so a flooding client cannot starve the loop.</summary>
    private const int ReadsPerEvent = 4;

    /// <summary>One answer at a time per loop thread: it is sent (or copied to a backlog) before the next is built.</summary>
    [ThreadStatic]
    private static byte[]? t_response;

    private readonly TurnServer _server;
    private readonly ILogger _logger;
    private readonly UdpEventLoop _loop;
    private readonly FiveTuple _tuple;
    private readonly Action<TcpLoopConnection> _closed;
    private readonly SendBacklog _backlog;
    private readonly Lock _lock = new(); // Serialises the loop's reads, other threads' sends, the deadline and closing.
    private readonly ITimer _deadline;
    private byte[]? _buffer;
    private int _filled;
    private ulong _key;
    private bool _watchingOutput;
    private bool _flushDeferred;
    private long _withoutAllocationSince;
    private bool _disposed;

    /// <param name="closed">Called once, after the connection closed (the listener's count of connections).</param>
    public TcpLoopConnection(TurnServer server, ILogger logger, Socket socket, UdpEventLoop loop, in FiveTuple tuple,
        Action<TcpLoopConnection> closed)
    {
        _server = server;
        _logger = logger;
        _loop = loop;
        _tuple = tuple;
        _closed = closed;
        Socket = socket;
        _backlog = new SendBacklog(server.Options.StreamSendBacklogBytes);
        _buffer = ArrayPool<byte>.Shared.Rent(2 * StunMessage.MaxLength);
        // Armed at once, checked when it fires: a connection without an allocation for the whole timeout is closed.
        _withoutAllocationSince = server.Time.GetTimestamp();
        _deadline = server.Time.CreateTimer(static state => ((TcpLoopConnection)state!).OnDeadline(), this,
            server.Options.StreamWithoutAllocationTimeout, Timeout.InfiniteTimeSpan);
    }

    public Socket Socket { get; }

    public bool IsStream => true;

    public bool NeverBlocks => true;

    /// <summary>Messages dropped because the backlog was full (for tests).</summary>
    internal long Dropped => _backlog.Dropped;

    public IClientSender CreateSender(in FiveTuple tuple) => this;

    /// <summary>Makes the socket non-blocking and starts serving it on the loop.</summary>
    public void Start()
    {
        Socket.Blocking = false;
        Socket.NoDelay = true;
        lock (_lock)
        {
            if (!_disposed)
            {
                _key = _loop.Register(this);
            }
        }
    }

    public int OnReady(uint events)
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return 0;
            }

            if ((events & LinuxNative.EpollOut) != 0)
            {
                Flush();
            }

            if ((events & (LinuxNative.EpollIn | LinuxNative.EpollHup | LinuxNative.EpollErr)) != 0)
            {
                return Read();
            }

            return 0;
        }
    }

    /// <summary>Reads and handles what the socket holds, up to <see cref="ReadsPerEvent"/> reads; returns the frames handled.</summary>
    private int Read()
    {
        int frames = 0;
        for (int i = 0; i < ReadsPerEvent && !_disposed; i++)
        {
            int read = Socket.Receive(_buffer!.AsSpan(_filled), SocketFlags.None, out SocketError error);
            if (error == SocketError.WouldBlock)
            {
                break;
            }

            bool filled = _filled + read == _buffer!.Length;
            frames += Absorb(error == SocketError.Success ? read : -1);
            if (!filled)
            {
                break; // The read did not fill the buffer: the socket is empty, no need to ask again.
            }
        }

        return frames;
    }

    public int ReadRoom
    {
        get
        {
            lock (_lock)
            {
                return _disposed ? 0 : _buffer!.Length - _filled;
            }
        }
    }

    public int OnRead(ReadOnlySpan<byte> data, int result)
    {
        lock (_lock)
        {
            if (_disposed || result == -RingSends.ErrorAgain)
            {
                return 0;
            }

            int room = _buffer!.Length - _filled;
            data[..Math.Min(data.Length, room)].CopyTo(_buffer.AsSpan(_filled));
            return Absorb(result > room ? room : result);
        }
    }

    /// <summary>
    /// Handles <paramref name="read"/> bytes just read into the buffer after what it held: every whole frame in it, the
    /// rest kept for the next read. 0 (the client closed) or below (broken) closes the connection. Returns the frames.
    /// </summary>
    private int Absorb(int read)
    {
        if (read <= 0)
        {
            Dispose(); // Closed by the client, or broken.
            return 0;
        }

        byte[] response = t_response ??= new byte[TurnRequestHandler.MaxResponseLength];
        byte[] buffer = _buffer!;
        _filled += read;
        int consumed = StreamFrameHandler.HandleAll(_server, _logger, _tuple, this, buffer.AsSpan(0, _filled), response,
            null, out int handled);
        if (consumed < 0)
        {
            Dispose(); // Neither STUN nor ChannelData: the stream cannot be resynchronised.
            return handled;
        }

        buffer.AsSpan(consumed, _filled - consumed).CopyTo(buffer);
        _filled -= consumed;
        return handled;
    }

    /// <summary>
    /// Sends one whole message without blocking, from the loop's thread or any other: straight to the socket if
    /// nothing is waiting, else (or for what the socket did not take) into the backlog; dropped if that is full.
    /// </summary>
    public void Send(ReadOnlySpan<byte> message)
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            if (_backlog.IsEmpty)
            {
                if (UdpEventLoop.Current is { } loop && loop.TryDeferFlush(this))
                {
                    // Sent at the end of the round with the round's other sends, in one system call. Like the rest
                    // of a message partly sent, the first message always fits.
                    _backlog.AppendRest(message);
                    _flushDeferred = true;
                    return;
                }

                int sent = Socket.Send(message, SocketFlags.None, out SocketError error);
                if (error == SocketError.Success && sent == message.Length)
                {
                    return;
                }

                if (error is not (SocketError.Success or SocketError.WouldBlock))
                {
                    return; // Broken: the read side sees it and closes.
                }

                // Part of a frame may have left: the rest must follow before anything else, so it always fits.
                _backlog.AppendRest(message[Math.Max(0, sent)..]);
            }
            else if (!_backlog.TryAppend(message) || _flushDeferred)
            {
                return; // Dropped, or sent with the deferred flush.
            }

            WatchOutput(true);
        }
    }

    /// <summary>
    /// At the end of the loop's round (<see cref="UdpEventLoop.TryDeferFlush"/>): queues the backlog's first bytes on
    /// the round's io_uring submission (<paramref name="sends"/>), or sends them now when there is none.
    /// </summary>
    public void FlushThroughRing(RingSends? sends)
    {
        lock (_lock)
        {
            _flushDeferred = false;
            if (_disposed || _backlog.IsEmpty)
            {
                return;
            }

            if (sends is null || !sends.TryQueueSend(Socket, _backlog.Pending, this))
            {
                Flush();
            }
        }
    }

    /// <summary>How the deferred flush went: what left is dropped from the backlog, and the rest waits for the socket to take more.</summary>
    public void OnRingSent(int result)
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _backlog.Consume(result);
            if (!_backlog.IsEmpty && (result > 0 || result == -RingSends.ErrorAgain))
            {
                WatchOutput(true); // Otherwise broken: the read side sees it and closes.
            }
        }
    }

    /// <summary>Sends what the backlog holds, as far as the socket takes it; stops watching output once empty.</summary>
    private void Flush()
    {
        while (!_backlog.IsEmpty)
        {
            int sent = Socket.Send(_backlog.Pending, SocketFlags.None, out SocketError error);
            if (error != SocketError.Success || sent <= 0)
            {
                return; // WouldBlock: epoll reports writable again; broken: the read side closes.
            }

            _backlog.Consume(sent);
        }

        WatchOutput(false);
    }

    private void WatchOutput(bool writable)
    {
        if (_watchingOutput != writable && _key != 0)
        {
            _watchingOutput = writable;
            _loop.WatchOutput(_key, Socket, writable);
        }
    }

    /// <summary>
    /// The deadline fired: closes the connection if it has had no allocation for the whole timeout. With one, it
    /// checks again a timeout later, so a connection whose allocation ended is closed one to two timeouts after.
    /// Handling a frame holds the same lock, so an Allocate being answered is never cut off by the deadline.
    /// </summary>
    private void OnDeadline()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            long now = _server.Time.GetTimestamp();
            TimeSpan timeout = _server.Options.StreamWithoutAllocationTimeout;
            if (_server.Allocations.TryGet(_tuple, now, out _))
            {
                _withoutAllocationSince = now;
                _deadline.Change(timeout, Timeout.InfiniteTimeSpan);
                return;
            }

            TimeSpan left = timeout - _server.Time.GetElapsedTime(_withoutAllocationSince, now);
            if (left > TimeSpan.Zero)
            {
                _deadline.Change(left, Timeout.InfiniteTimeSpan);
                return;
            }

            TurnLog.StreamWithoutAllocation(_logger, _tuple.Client);
            Dispose();
        }
    }

    /// <summary>Closes the connection and deletes its allocation (RFC 8656 §3.1). Safe to call twice, from any thread.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            if (_key != 0)
            {
                _loop.Unregister(_key, Socket);
            }

            _deadline.Dispose();
            Socket.Dispose();
            _backlog.Release();
            ArrayPool<byte>.Shared.Return(_buffer!);
            _buffer = null;
        }

        _server.Allocations.RemoveTuple(_tuple);
        _closed(this);
    }
}
