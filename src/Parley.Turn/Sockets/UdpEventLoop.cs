using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Parley.Stun;
using Parley.Turn.Relay;

namespace Parley.Turn.Sockets;

/// <summary>
/// Linux on x86-64 and arm64 only (<see cref="LinuxNative.IsSupported"/>): one dedicated thread (Turn:UdpThreads of
/// them) reads its registered UDP sockets (one UDP listener socket and relay sockets of UDP clients) through one
/// level-triggered epoll set, with non-blocking <c>recvmmsg</c> into one batch of buffers, and handles each datagram
/// on the spot (the reply or the relayed datagram is sent synchronously from this thread). Compared with one async
/// receive loop per socket this
/// saves the thread-pool hop, the async state machine and most context switches per relayed packet, and it
/// needs no thread per allocation. Receivers must never block. TCP clients' connections are served here too
/// (<see cref="IStreamReceiver"/>, non-blocking sockets with a bounded send backlog), and so are their relay sockets.
/// Under load a <see cref="BatchPacer"/> spaces the rounds out so that each handles a batch. Where the kernel allows it
/// (Turn:IoUring), a round's reads from sockets that hold little (relay sockets, TCP clients) and its sends to many
/// sockets take one <c>io_uring_enter</c> each instead of one system call per socket (<see cref="RingReads"/>,
/// <see cref="RingSends"/>).
/// </summary>
internal sealed partial class UdpEventLoop : IDisposable
{
    [ThreadStatic]
    private static UdpEventLoop? t_current;

    private const int MaxEvents = 64;
    private const int ReadsPerEvent = 32; // Bounds one socket's turn, so a flooded socket cannot starve the others.
    private const int WaitMilliseconds = 250; // How often the thread checks for shutdown when idle.

    private readonly int _epoll;
    private readonly Thread _thread;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly Stack<int> _free = new();
    private Registration?[] _slots = new Registration?[64];
    private int _used;
    private uint _generation;
    private readonly SendBatch _sends = new();
    private readonly TimeProvider _time;
    private readonly BatchPacer _pacer;
    private readonly bool _ioUring;
    private readonly ManualResetEventSlim _started = new();
    private volatile bool _stopping;

    /// <param name="logger">Where failures of single datagrams go.</param>
    /// <param name="index">Names the thread.</param>
    /// <param name="batchMicroseconds">Turn:UdpBatchMicroseconds: the pacer's longest wait, 0 for none.</param>
    /// <param name="time">The clock the pacer measures the datagram rate with.</param>
    /// <param name="ioUring">Turn:IoUring: make each round's sends to many sockets through io_uring where the kernel allows it.</param>
    public UdpEventLoop(ILogger logger, int index, int batchMicroseconds, TimeProvider time, bool ioUring = true)
    {
        _logger = logger;
        _time = time;
        _ioUring = ioUring;
        _pacer = new BatchPacer(batchMicroseconds, time.TimestampFrequency, time.GetTimestamp());
        _epoll = LinuxNative.EpollCreate(LinuxNative.EpollCloexec);
        if (_epoll < 0)
        {
            throw new InvalidOperationException("epoll_create1 failed.");
        }

        _thread = new Thread(() => Run(index)) { IsBackground = true, Name = $"Parley TURN UDP {index}" };
        _thread.Start();
        _started.Wait(); // The ring, if any, is set up by the thread that alone submits to it.
    }

    /// <summary>
    /// Whether this loop's reads from relay sockets and TCP clients and its sends to many sockets go through io_uring
    /// (Turn:IoUring, and a kernel that allows it).
    /// </summary>
    public bool UsesIoUring { get; private set; }

    /// <summary>Rounds followed by a batching wait (written by the loop's thread; for tests).</summary>
    internal long PacedRounds { get; private set; }

    /// <summary>The loop running on the calling thread, if any.</summary>
    public static UdpEventLoop? Current => t_current;

    /// <summary>Starts reading <paramref name="receiver"/>'s socket; returns the key for <see cref="Unregister"/>.</summary>
    public ulong Register(IDatagramReceiver receiver) => Add(new Registration(receiver, null), receiver.Socket);

    /// <summary>Starts watching a non-blocking stream socket for input; returns the key for <see cref="Unregister"/>.</summary>
    public ulong Register(IStreamReceiver receiver) => Add(new Registration(null, receiver), receiver.Socket);

    /// <summary>
    /// Watches a registered stream socket for output too (<paramref name="writable"/>) or no longer: while it has a
    /// send backlog, the loop tells it when the socket can take more. Any thread may call it.
    /// </summary>
    public void WatchOutput(ulong key, Socket socket, bool writable)
    {
        lock (_lock)
        {
            int slot = (int)(uint)key;
            if (slot < _used && _slots[slot] is { } registration && registration.Key == key)
            {
                try
                {
                    _ = LinuxNative.EpollModify(_epoll, (int)socket.Handle, writable ? LinuxNative.EpollIn | LinuxNative.EpollOut : LinuxNative.EpollIn, key);
                }
                catch (ObjectDisposedException)
                {
                    // Closed meanwhile: nothing to watch.
                }
            }
        }
    }

    private ulong Add(Registration registration, Socket socket)
    {
        lock (_lock)
        {
            int slot;
            if (_free.Count > 0)
            {
                slot = _free.Pop();
            }
            else
            {
                if (_used == _slots.Length)
                {
                    Registration?[] grown = new Registration?[_slots.Length * 2];
                    _slots.CopyTo(grown, 0);
                    Volatile.Write(ref _slots, grown);
                }

                slot = _used++;
            }

            // The generation makes a stale event for a reused slot (or a reused fd number) miss.
            registration.Key = ((ulong)++_generation << 32) | (uint)slot;
            Volatile.Write(ref _slots[slot], registration);
            if (LinuxNative.EpollAdd(_epoll, (int)socket.Handle, registration.Key) != 0)
            {
                _slots[slot] = null;
                _free.Push(slot);
                throw new InvalidOperationException("epoll_ctl(ADD) failed.");
            }

            return registration.Key;
        }
    }

    /// <summary>Stops reading the socket; call before disposing it. Safe to call twice.</summary>
    public void Unregister(ulong key, Socket socket)
    {
        lock (_lock)
        {
            int slot = (int)(uint)key;
            if (slot >= _used || _slots[slot] is not { } registration || registration.Key != key)
            {
                return;
            }

            _slots[slot] = null;
            _free.Push(slot);
            try
            {
                _ = LinuxNative.EpollRemove(_epoll, (int)socket.Handle);
            }
            catch (ObjectDisposedException)
            {
                // Closed already: the kernel removed it from the set.
            }
        }
    }

    private void Run(int index)
    {
        t_current = this;
        var events = new byte[MaxEvents * LinuxNative.EpollEventSize];
        var batch = new ReceiveBatch(StunMessage.MaxLength);
        _ = LinuxNative.SleepMicroseconds(0); // Binds the import now: its first call allocates, later ones do not.
        StartRing(index);
        _started.Set();
        try
        {
            Serve(events, batch);
        }
        finally
        {
            _ringSends?.Dispose();
            _ringReads?.Dispose();
        }
    }

    private void Serve(byte[] events, ReceiveBatch batch)
    {
        while (!_stopping)
        {
            try
            {
                Round(events, batch);
            }
#pragma warning disable CA1031 // Nothing ends the loop but disposal: it serves every socket registered with it.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                TurnLog.PacketFailed(_logger, ex, default);
            }
        }
    }

    /// <summary>One epoll round: every ready socket drained, then the queued sends flushed.</summary>
    private void Round(byte[] events, ReceiveBatch batch)
    {
        int ready = LinuxNative.EpollWait(_epoll, events, MaxEvents, WaitMilliseconds);
        Registration?[] slots = Volatile.Read(ref _slots);
        int datagrams = 0;
        bool backlog = false;
        for (int i = 0; i < ready; i++)
        {
            ulong key = LinuxNative.EpollData(events, i);
            int slot = (int)(uint)key;
            if (slot < slots.Length && Volatile.Read(ref slots[slot]) is { } registration && registration.Key == key
                && !TryQueueRead(registration, LinuxNative.EpollEvents(events, i)))
            {
                int read = registration.Stream is { } stream
                    ? ServeStream(stream, LinuxNative.EpollEvents(events, i))
                    : Drain(registration.Receiver!, batch);
                datagrams += read;
                backlog |= read >= ReadsPerEvent; // The socket still holds more than its turn allowed.
            }
        }

        if (_ringReads is { Broken: false } reads)
        {
            datagrams += reads.Complete(_deliver!, out bool full);
            backlog |= full;
        }

        _sends.Flush();
        FlushRing();
        uint wait = _pacer.AfterRound(datagrams, backlog, _time.GetTimestamp());
        if (wait > 0)
        {
            PacedRounds++;
            _ = LinuxNative.SleepMicroseconds(wait);
        }
    }

    /// <summary>
    /// On the loop's own thread: queues a datagram to a client until the end of this epoll round, to be sent
    /// with others to the same socket in one <c>sendmmsg</c>. False: not queued, send it directly.
    /// </summary>
    public bool TryQueueSend(Socket socket, SocketAddress to, ReadOnlySpan<byte> message) =>
        t_current == this && _sends.TryAdd(socket, to, message);

    /// <summary>
    /// Reads what the socket holds, up to <see cref="ReadsPerEvent"/> datagrams, with one <c>recvmmsg</c> per
    /// <see cref="ReceiveBatch.Count"/>: a short batch means the queue is empty, so no call ends in EAGAIN.
    /// Returns how many datagrams it read.
    /// </summary>
    private int Drain(IDatagramReceiver receiver, ReceiveBatch batch)
    {
        int total = 0;
        // The reference keeps the fd number from being closed (and reused by another socket) while it is read.
        SafeSocketHandle handle = receiver.Socket.SafeHandle;
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            int fd = (int)handle.DangerousGetHandle();
            Span<byte> address = receiver.ReceiveAddress.Buffer.Span;
            for (int read = 0; read < ReadsPerEvent; read += ReceiveBatch.Count)
            {
                batch.Reset(ReceiveBatch.Count);
                int received = LinuxNative.ReceiveMessages(fd, batch.Headers, ReceiveBatch.Count, LinuxNative.MsgDontWait, 0);
                if (received <= 0)
                {
                    break; // Empty (EAGAIN), or an ICMP error consumed; epoll reports the socket again if data remains.
                }

                total += received;
                for (int i = 0; i < received; i++)
                {
                    ref LinuxNative.MessageHeader header = ref batch.Headers[i];
                    if ((header.Flags & LinuxNative.MsgTrunc) != 0 || header.Received > batch.DatagramCapacity)
                    {
                        continue; // Larger than any datagram accepted: dropped.
                    }

                    int length = Math.Min(Math.Min(header.NameLength, ReceiveBatch.AddressCapacity), address.Length);
                    batch.Addresses.AsSpan(i * ReceiveBatch.AddressCapacity, length).CopyTo(address);
                    Deliver(receiver, batch.Buffer, batch.DatagramOffset(i), (int)header.Received);
                }

                if (received < ReceiveBatch.Count)
                {
                    break;
                }
            }
        }
        catch (ObjectDisposedException)
        {
            // The socket was closed after its event was reported.
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }

        return total;
    }

    private int ServeStream(IStreamReceiver stream, uint events)
    {
        try
        {
            return stream.OnReady(events);
        }
#pragma warning disable CA1031 // One failing connection never ends the loop; it closes itself.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            TurnLog.PacketFailed(_logger, ex, default);
            return 0;
        }
    }

    private void Deliver(IDatagramReceiver receiver, byte[] buffer, int offset, int length)
    {
        try
        {
            receiver.OnDatagram(buffer, offset, length);
        }
#pragma warning disable CA1031 // One bad datagram never ends the loop; only disposal does.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            TurnLog.PacketFailed(_logger, ex, SocketAddressCodec.Read(receiver.ReceiveAddress));
        }
    }

    public void Dispose()
    {
        if (_stopping)
        {
            return;
        }

        _stopping = true;
        if (Thread.CurrentThread != _thread)
        {
            _thread.Join(TimeSpan.FromSeconds(2));
        }

        _ = LinuxNative.Close(_epoll);
        _started.Dispose();
    }

    private sealed class Registration(IDatagramReceiver? receiver, IStreamReceiver? stream)
    {
        public IDatagramReceiver? Receiver { get; } = receiver;

        public IStreamReceiver? Stream { get; } = stream;

        public ulong Key { get; set; }
    }
}
