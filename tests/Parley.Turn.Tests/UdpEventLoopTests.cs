using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging.Abstractions;
using Parley.Stun;
using Parley.Tests.Shared;
using Parley.Turn.Relay;
using Parley.Turn.Sockets;

namespace Parley.Turn.Tests;

/// <summary>Skipped where the UDP event loop does not run (the portable async loops are used there).</summary>
public sealed class EventLoopFactAttribute : FactAttribute
{
    public EventLoopFactAttribute()
    {
        if (!LinuxNative.IsSupported)
        {
            Skip = "The UDP event loop runs on Linux x86-64 and arm64 only.";
        }
    }
}

/// <summary>A theory skipped where the UDP event loop does not run.</summary>
public sealed class EventLoopTheoryAttribute : TheoryAttribute
{
    public EventLoopTheoryAttribute()
    {
        if (!LinuxNative.IsSupported)
        {
            Skip = "The UDP event loop runs on Linux x86-64 and arm64 only.";
        }
    }
}

/// <summary>Skipped where the kernel or a sandbox refuses io_uring (the loops then make system calls, tested too).</summary>
public sealed class IoUringFactAttribute : FactAttribute
{
    public IoUringFactAttribute()
    {
        if (!UdpEventLoopTests.IoUringAvailable)
        {
            Skip = "This kernel or sandbox refuses io_uring (kernel before 5.18, io_uring_disabled, or seccomp).";
        }
    }
}

public class UdpEventLoopTests
{
    private static readonly Lazy<bool> s_ioUring = new(() =>
    {
        using IoUring? ring = LinuxNative.IsSupported ? IoUring.TryCreate(2, out _) : null;
        return ring is not null;
    });

    /// <summary>Whether this machine lets a process set up an io_uring (as the event loops do with Turn:IoUring).</summary>
    public static bool IoUringAvailable => s_ioUring.Value;

    [EventLoopFact]
    public void Native_struct_layouts_are_those_of_64_bit_linux()
    {
        int expected = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16; // packed on x86-64 alone
        Assert.Equal(expected, LinuxNative.EpollEventSize);
        byte[] events = new byte[2 * expected];
        events[expected - 8] = 0x11;
        events[(2 * expected) - 1] = 0x22;
        Assert.Equal(0x11UL, LinuxNative.EpollData(events, 0));
        Assert.Equal(0x22UL << 56, LinuxNative.EpollData(events, 1));
        Assert.Equal(16, Marshal.SizeOf<LinuxNative.IoVector>());
        Assert.Equal(64, Marshal.SizeOf<LinuxNative.MessageHeader>());
        Assert.Equal(48, (int)Marshal.OffsetOf<LinuxNative.MessageHeader>(nameof(LinuxNative.MessageHeader.Flags)));
        Assert.Equal(56, (int)Marshal.OffsetOf<LinuxNative.MessageHeader>(nameof(LinuxNative.MessageHeader.Received)));
    }

    /// <summary>
    /// With a 2 ms batch window, bursts of 30 datagrams 3 ms apart keep the measured rate above the 4 a window
    /// that make the loop busy (even if each delay took 15 ms), so the paced rounds are exercised too. A burst
    /// stays under a socket's turn of 32, so no round is a backlog (after which the loop never waits), however
    /// the loop's rounds split it. Allocations are counted on the loop's thread per burst, and the steady state
    /// must allocate nothing (<see cref="AllocationRounds"/>): the first burst warms up.
    /// </summary>
    /// <remarks>
    /// A receiver that holds few datagrams a round (<see cref="IDatagramReceiver.FewPerRound"/>, a relay socket) is
    /// read through io_uring where the loop has one, in passes of one datagram per socket (<see cref="RingReads"/>):
    /// a burst of 30 takes several passes and rounds, in order.
    /// </remarks>
    [EventLoopTheory]
    [InlineData(0, false, true)]
    [InlineData(2000, false, true)]
    [InlineData(0, true, true)]
    [InlineData(2000, true, true)]
    [InlineData(2000, true, false)]
    public async Task Delivers_every_datagram_with_its_sender_and_headroom_and_allocates_nothing_on_its_thread(int batchMicroseconds,
        bool fewPerRound, bool ioUring)
    {
        const int Burst = 30;
        const int Datagrams = 12 * Burst;
        using var loop = new UdpEventLoop(NullLogger.Instance, 0, batchMicroseconds, TimeProvider.System, ioUring);
        Assert.Equal(ioUring && IoUringAvailable, loop.UsesIoUring);
        using var socket = Bound();
        socket.ReceiveBufferSize = 1 << 20;
        var receiver = new CountingReceiver(socket, Datagrams, Burst, fewPerRound);
        ulong key = loop.Register(receiver);
        using var sender = Bound();
        var to = (IPEndPoint)socket.LocalEndPoint!;
        byte[] payload = new byte[172];
        for (int i = 0; i < Datagrams; i++)
        {
            payload[0] = (byte)i;
            sender.SendTo(payload, to);
            if (i % Burst == Burst - 1)
            {
                await Task.Delay(3);
            }
        }

        await receiver.Done.Task.WaitAsync(TimeSpan.FromSeconds(10));
        loop.Unregister(key, socket);
        Assert.Equal(Datagrams, receiver.Count);
        Assert.Equal(0, receiver.BadDatagrams);
        Assert.Equal(new TransportAddress((IPEndPoint)sender.LocalEndPoint!), receiver.LastSender);
        receiver.Allocations.AssertSteadyStateAllocatesNothing();
        Assert.Equal(batchMicroseconds > 0, loop.PacedRounds > 0);
    }

    [EventLoopFact]
    public async Task An_unregistered_socket_is_no_longer_read_and_the_loop_keeps_serving_the_others()
    {
        using var loop = new UdpEventLoop(NullLogger.Instance, 0, 0, TimeProvider.System);
        using var first = Bound();
        using var second = Bound();
        var gone = new CountingReceiver(first, 1, 1, fewPerRound: true);
        var kept = new CountingReceiver(second, 1, 1, fewPerRound: true);
        ulong firstKey = loop.Register(gone);
        loop.Register(kept);
        loop.Unregister(firstKey, first);
        loop.Unregister(firstKey, first); // Twice is harmless.
        first.Dispose();
        using var sender = Bound();
        sender.SendTo(new byte[20], second.LocalEndPoint!);
        await kept.Done.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, gone.Count);
        Assert.Equal(1, kept.Count);
    }

    [EventLoopFact]
    public void A_send_batch_delivers_every_queued_datagram_in_order_and_flushes_when_the_socket_changes()
    {
        using var first = Bound();
        using var second = Bound();
        using var target = Bound();
        target.ReceiveTimeout = 5000;
        var to = new IPEndPoint(IPAddress.Loopback, ((IPEndPoint)target.LocalEndPoint!).Port).Serialize();
        var batch = new SendBatch();
        for (int i = 0; i < 40; i++)
        {
            Assert.True(batch.TryAdd(i < 35 ? first : second, to, [(byte)i, 1, 2, 3]));
        }

        Assert.False(batch.TryAdd(first, to, new byte[SendBatch.SlotLength + 1]));
        batch.Flush();
        byte[] buffer = new byte[64];
        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        for (int i = 0; i < 40; i++)
        {
            Assert.Equal(4, target.ReceiveFrom(buffer, ref from));
            Assert.Equal((byte)i, buffer[0]);
            Assert.Equal(i < 35 ? first.LocalEndPoint : second.LocalEndPoint, from);
        }
    }

    [EventLoopFact]
    public void Only_the_loop_thread_queues_sends()
    {
        using var loop = new UdpEventLoop(NullLogger.Instance, 0, 0, TimeProvider.System);
        using var socket = Bound();
        Assert.False(loop.TryQueueSend(socket, new IPEndPoint(IPAddress.Loopback, 9).Serialize(), [1]));
        Assert.False(loop.TryQueueSendTo(socket, new IPEndPoint(IPAddress.Loopback, 9).Serialize(), [1]));
    }

    /// <summary>
    /// One ring's sends: datagrams from 40 sockets, more than its 16 entries (it submits when full), each from its own
    /// socket, in order, and a stream's bytes with their count reported to their owner; a closed socket is refused.
    /// </summary>
    [IoUringFact]
    public void A_ring_sends_every_queued_datagram_from_its_own_socket_and_reports_stream_sends()
    {
        IoUring ring = IoUring.TryCreate(16, out _)!;
        using var sends = new RingSends(ring);
        Socket[] sockets = [.. Enumerable.Range(0, 40).Select(_ => Bound())];
        using var target = Bound();
        target.ReceiveTimeout = 5000;
        var to = new IPEndPoint(IPAddress.Loopback, ((IPEndPoint)target.LocalEndPoint!).Port).Serialize();
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(listener.LocalEndPoint!);
        using Socket accepted = listener.Accept();
        var owner = new SendResults();
        try
        {
            for (int i = 0; i < sockets.Length; i++)
            {
                Assert.True(sends.TryQueueSendTo(sockets[i], to.Buffer.Span[..to.Size], [(byte)i, 1, 2, 3]));
            }

            Assert.True(sends.TryQueueSend(client, new byte[3000], owner));
            Assert.False(sends.TryQueueSendTo(sockets[0], to.Buffer.Span[..to.Size], new byte[RingSends.SlotLength + 1]));
            sends.Flush();
            Assert.Equal(0, sends.Queued);
            byte[] buffer = new byte[64];
            EndPoint from = new IPEndPoint(IPAddress.Any, 0);
            for (int i = 0; i < sockets.Length; i++)
            {
                Assert.Equal(4, target.ReceiveFrom(buffer, ref from));
                Assert.Equal((byte)i, buffer[0]);
                Assert.Equal(sockets[i].LocalEndPoint, from);
            }

            Assert.Equal([RingSends.SlotLength], owner.Results); // One slot's worth; the owner keeps the rest.
            accepted.ReceiveTimeout = 5000;
            int streamed = 0;
            while (streamed < RingSends.SlotLength)
            {
                int read = accepted.Receive(new byte[4096]);
                Assert.NotEqual(0, read);
                streamed += read;
            }

            Assert.Equal(RingSends.SlotLength, streamed);
            sockets[1].Dispose();
            Assert.False(sends.TryQueueSendTo(sockets[1], to.Buffer.Span[..to.Size], [1]));
        }
        finally
        {
            foreach (Socket socket in sockets)
            {
                socket.Dispose();
            }
        }
    }

    private sealed class SendResults : IRingSendOwner
    {
        public List<int> Results { get; } = [];

        public void OnRingSent(int result) => Results.Add(result);
    }

    private static Socket Bound()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    /// <summary>Counts datagrams on the loop's thread and measures its allocations per burst, the first one unmeasured.</summary>
    private sealed class CountingReceiver(Socket socket, int expected, int burst, bool fewPerRound) : IDatagramReceiver
    {
        public Socket Socket => socket;

        public bool FewPerRound => fewPerRound;

        public SocketAddress ReceiveAddress { get; } = new(AddressFamily.InterNetwork);

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Count { get; private set; }

        public int BadDatagrams { get; private set; }

        public AllocationRounds Allocations { get; } = new(Math.Max(expected / burst, AllocationRounds.ZeroRoundsRequired + 2) - 1);

        public TransportAddress LastSender { get; private set; }

        public void OnDatagram(byte[] buffer, int offset, int length)
        {
            // Headroom for the ChannelData header, and the datagram in order and intact.
            if (offset < IPeerDataSink.RelayHeadroom || length != 172 || buffer[offset] != (byte)Count)
            {
                BadDatagrams++;
            }

            Count++;
            LastSender = SocketAddressCodec.Read(ReceiveAddress);
            if (Count % burst == 0)
            {
                Allocations.Mark();
            }

            if (Count == expected)
            {
                Done.TrySetResult();
            }
        }
    }
}
