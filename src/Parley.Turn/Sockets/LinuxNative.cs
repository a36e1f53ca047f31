using System.Runtime.InteropServices;

namespace Parley.Turn.Sockets;

/// <summary>
/// The few libc calls of the Linux UDP event loop (<see cref="UdpEventLoop"/>): epoll, sendmmsg, and recvmmsg with
/// MSG_DONTWAIT so that an empty socket returns -1 instead of throwing. No errno is read: any failure just
/// ends the reads of that socket for this round, and level-triggered epoll reports it again if data remains.
/// Struct layouts are those of x86-64 (<see cref="IsSupported"/>) and are checked by a test.
/// </summary>
internal static partial class LinuxNative
{
    public const int EpollCloexec = 0x80000;
    public const int EpollCtlAdd = 1;
    public const int EpollCtlDel = 2;
    public const uint EpollIn = 0x001;
    public const int MsgDontWait = 0x40;

    /// <summary>
    /// Whether the loop can run here: Linux on x64, where <c>struct epoll_event</c> is packed (12 bytes)
    /// as <see cref="EpollEvent"/> declares it. Other platforms use the portable async receive loops.
    /// </summary>
    public static bool IsSupported => OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64;

    /// <summary><c>struct epoll_event</c> on x86-64: <c>__attribute__((packed))</c>, the data word at offset 4.</summary>
    [StructLayout(LayoutKind.Sequential, Pack = 4)]
    public struct EpollEvent
    {
        public uint Events;
        public ulong Data;
    }

    [LibraryImport("libc", EntryPoint = "epoll_create1")]
    public static partial int EpollCreate(int flags);

    [LibraryImport("libc", EntryPoint = "epoll_ctl")]
    public static partial int EpollControl(int epoll, int operation, int fd, ref EpollEvent value);

    [LibraryImport("libc", EntryPoint = "epoll_wait")]
    public static partial int EpollWait(int epoll, Span<EpollEvent> events, int maxEvents, int timeoutMilliseconds);

    /// <summary><c>struct iovec</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct IoVector
    {
        public nint Base;
        public nuint Length;
    }

    /// <summary><c>struct mmsghdr</c> (a <c>struct msghdr</c> and the received length), natural x86-64 alignment.</summary>
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
