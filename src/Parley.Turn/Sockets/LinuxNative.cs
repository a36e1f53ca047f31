using System.Runtime.InteropServices;

namespace Parley.Turn.Sockets;

/// <summary>
/// The few libc calls of the Linux UDP event loop (<see cref="UdpEventLoop"/>): epoll, sendmmsg, and recvmmsg with
/// MSG_DONTWAIT so that an empty socket returns -1 instead of throwing. No errno is read: any failure just
/// ends the reads of that socket for this round, and level-triggered epoll reports it again if data remains.
/// Struct layouts are those of 64-bit Linux on x86-64 and arm64 (<see cref="IsSupported"/>), checked by a test.
/// </summary>
internal static partial class LinuxNative
{
    public const int EpollCloexec = 0x80000;
    public const int EpollCtlAdd = 1;
    public const int EpollCtlDel = 2;
    public const int EpollCtlMod = 3;
    public const uint EpollIn = 0x001;
    public const uint EpollOut = 0x004;
    public const uint EpollErr = 0x008;
    public const uint EpollHup = 0x010;
    public const int MsgDontWait = 0x40;

    /// <summary>
    /// Whether the loop can run here: Linux on x86-64 or arm64, whose <c>struct msghdr</c> and <c>mmsghdr</c> are the
    /// same (LP64) and whose <c>struct epoll_event</c> layouts <see cref="EpollEventSize"/> knows. Other platforms
    /// use the portable async receive loops.
    /// </summary>
    public static bool IsSupported => OperatingSystem.IsLinux()
        && RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64;

    /// <summary>
    /// Bytes of one <c>struct epoll_event</c> (<c>{ uint32_t events; uint64_t data; }</c>): 12 on x86-64, the one
    /// architecture where &lt;sys/epoll.h&gt; declares it packed (EPOLL_PACKED), 16 elsewhere (the data word
    /// naturally aligned at offset 8). Events are read and written as bytes, so one build serves both.
    /// </summary>
    public static readonly int EpollEventSize = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;

    /// <summary>Offset of the data word in a <c>struct epoll_event</c>: the last 8 bytes.</summary>
    private static int EpollDataOffset => EpollEventSize - sizeof(ulong);

    /// <summary>The data word of the <paramref name="index"/>th event that <see cref="EpollWait"/> returned.</summary>
    public static ulong EpollData(ReadOnlySpan<byte> events, int index) =>
        MemoryMarshal.Read<ulong>(events[((index * EpollEventSize) + EpollDataOffset)..]);

    /// <summary>The event mask (<see cref="EpollIn"/>, <see cref="EpollOut"/>, ...) of the <paramref name="index"/>th event.</summary>
    public static uint EpollEvents(ReadOnlySpan<byte> events, int index) =>
        MemoryMarshal.Read<uint>(events[(index * EpollEventSize)..]);

    /// <summary>Adds <paramref name="fd"/> to the set, level-triggered for input, its events carrying <paramref name="data"/>.</summary>
    public static int EpollAdd(int epoll, int fd, ulong data) => EpollSet(epoll, EpollCtlAdd, fd, EpollIn, data);

    /// <summary>Changes the events <paramref name="fd"/> is watched for (level-triggered), keeping <paramref name="data"/>.</summary>
    public static int EpollModify(int epoll, int fd, uint events, ulong data) => EpollSet(epoll, EpollCtlMod, fd, events, data);

    private static int EpollSet(int epoll, int operation, int fd, uint events, ulong data)
    {
        Span<byte> value = stackalloc byte[16];
        value.Clear();
        MemoryMarshal.Write(value, events);
        MemoryMarshal.Write(value[EpollDataOffset..], data);
        return EpollControl(epoll, operation, fd, ref MemoryMarshal.GetReference(value));
    }

    /// <summary>Removes <paramref name="fd"/> from the set.</summary>
    public static int EpollRemove(int epoll, int fd)
    {
        Span<byte> value = stackalloc byte[16];
        value.Clear();
        return EpollControl(epoll, EpollCtlDel, fd, ref MemoryMarshal.GetReference(value));
    }

    [LibraryImport("libc", EntryPoint = "epoll_create1")]
    public static partial int EpollCreate(int flags);

    [LibraryImport("libc", EntryPoint = "epoll_ctl")]
    private static partial int EpollControl(int epoll, int operation, int fd, ref byte value);

    /// <summary>Waits for events into <paramref name="events"/> (<paramref name="maxEvents"/> of <see cref="EpollEventSize"/> bytes); returns how many, or -1.</summary>
    [LibraryImport("libc", EntryPoint = "epoll_wait")]
    public static partial int EpollWait(int epoll, Span<byte> events, int maxEvents, int timeoutMilliseconds);

    /// <summary><c>struct iovec</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct IoVector
    {
        public nint Base;
        public nuint Length;
    }

    /// <summary><c>struct mmsghdr</c> (a <c>struct msghdr</c> and the received length), natural LP64 alignment.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct MessageHeader
    {
        public nint Name;
        public int NameLength;
        public nint IoVectors;
        public nuint IoVectorCount;
        public nint Control;
        public nuint ControlLength;
        public int Flags;
        private readonly int _msghdrPadding; // struct msghdr is 56 bytes: msg_len is at offset 56, the whole 64.
        public uint Received;
    }

    public const int MsgTrunc = 0x20;

    /// <summary>Reads up to <paramref name="count"/> datagrams in one call; returns how many, or -1.</summary>
    [LibraryImport("libc", EntryPoint = "recvmmsg")]
    public static partial int ReceiveMessages(int fd, Span<MessageHeader> messages, uint count, int flags, nint timeout);

    /// <summary>Sends up to <paramref name="count"/> datagrams in one call; returns how many were sent, or -1.</summary>
    [LibraryImport("libc", EntryPoint = "sendmmsg")]
    public static partial int SendMessages(int fd, Span<MessageHeader> messages, uint count, int flags);

    /// <summary>Suspends the calling thread; the event loop's batching wait (<see cref="BatchPacer"/>).</summary>
    [LibraryImport("libc", EntryPoint = "usleep")]
    public static partial int SleepMicroseconds(uint microseconds);

    [LibraryImport("libc", EntryPoint = "close")]
    public static partial int Close(int fd);
}
