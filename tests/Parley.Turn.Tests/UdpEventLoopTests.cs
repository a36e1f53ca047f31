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

public class UdpEventLoopTests
{
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
    [EventLoopTheory]
    [InlineData(0)]
    [InlineData(2000)]
    public async Task Delivers_every_datagram_with_its_sender_and_headroom_and_allocates_nothing_on_its_thread(int batchMicroseconds)
    {
        const int Burst = 30;
        const int Datagrams = 12 * Burst;
        using var loop = new UdpEventLoop(NullLogger.Instance, 0, batchMicroseconds, TimeProvider.System);
        using var socket = Bound();
        socket.ReceiveBufferSize = 1 << 20;
        var receiver = new CountingReceiver(socket, Datagrams, Burst);
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
        var gone = new CountingReceiver(first, 1, 1);
        var kept = new CountingReceiver(second, 1, 1);
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
    }

    private static Socket Bound()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    /// <summary>Counts datagrams on the loop's thread and measures its allocations per burst, the first one unmeasured.</summary>
    private sealed class CountingReceiver(Socket socket, int expected, int burst) : IDatagramReceiver
    {
        public Socket Socket => socket;

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
