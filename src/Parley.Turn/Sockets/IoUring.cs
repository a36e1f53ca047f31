using System.Runtime.InteropServices;

namespace Parley.Turn.Sockets;

/// <summary>
/// A minimal io_uring (Linux 5.18 and later) owned by one event loop thread: submission entries are written into
/// the shared submission queue, submitted with one <c>io_uring_enter</c>, and their completions read from the shared
/// completion queue. The loop uses it to make a round's sends to many sockets one system call instead of one each:
/// on a paravirtualised guest a system call's entry and exit alone cost about 1 µs (docs/benchmarks.md, "TURN relay").
/// Memory is read and written through <see cref="Marshal"/> (no hand-written unsafe code); without SQPOLL the kernel
/// reads the queue only inside <c>io_uring_enter</c>, which orders both sides. The layouts are the kernel's uapi
/// (<c>linux/io_uring.h</c>), the same on x86-64 and arm64. Not thread-safe.
/// </summary>
internal sealed partial class IoUring : IDisposable
{
    public const int EntrySize = 64;
    public const byte OpSendMessage = 9; // IORING_OP_SENDMSG
    public const byte OpReceiveMessage = 10; // IORING_OP_RECVMSG
    public const byte OpSend = 26; // IORING_OP_SEND
    public const byte OpReceive = 27; // IORING_OP_RECV

    private const long SetupSyscall = 425; // io_uring_setup: the same number on x86-64 and arm64 (the unified table)
    private const long EnterSyscall = 426;
    private const uint SetupSubmitAll = 1u << 7; // IORING_SETUP_SUBMIT_ALL (5.18): an entry that fails does not stop the rest
    private const uint SetupCoopTaskRun = 1u << 8;
    private const uint SetupSingleIssuer = 1u << 12;
    private const uint SetupDeferTaskRun = 1u << 13;
    private const uint FeatureSingleMmap = 1u << 0;
    private const uint EnterGetEvents = 1u << 0;
    private const long OffsetEntries = 0x10000000;
    private const int ProtectReadWrite = 0x3;
    private const int MapSharedPopulate = 0x01 | 0x8000;
    private const int CompletionSize = 16;
    private const int ErrorInterrupted = 4; // EINTR
    private const int ErrorAgain = 11; // EAGAIN
    private const int ErrorBusy = 16; // EBUSY
    private const int MaxAttempts = 100; // Interrupted or busy calls retried before the ring counts as broken.

    private readonly int _fd;
    private readonly nint _rings;
    private readonly nuint _ringsLength;
    private readonly nint _entries;
    private readonly nuint _entriesLength;
    private readonly nint _submissionTail;
    private readonly uint _submissionMask;
    private readonly nint _completionHead;
    private readonly nint _completionTail;
    private readonly uint _completionMask;
    private readonly nint _completions;
    private uint _tail;
    private uint _queued;
    private bool _disposed;

    private IoUring(int fd, uint entries, nint rings, nuint ringsLength, nint sqes, nuint sqesLength, ReadOnlySpan<byte> parameters)
    {
        _fd = fd;
        Entries = entries;
        _rings = rings;
        _ringsLength = ringsLength;
        _entries = sqes;
        _entriesLength = sqesLength;
        _submissionTail = rings + Field(parameters, 40 + 4);
        _submissionMask = (uint)Marshal.ReadInt32(rings + Field(parameters, 40 + 8));
        _completionHead = rings + Field(parameters, 80);
        _completionTail = rings + Field(parameters, 80 + 4);
        _completionMask = (uint)Marshal.ReadInt32(rings + Field(parameters, 80 + 8));
        _completions = rings + Field(parameters, 80 + 20);
        _tail = (uint)Marshal.ReadInt32(_submissionTail);

        // The submission array maps ring slots to entries; entry i always sits in slot i, so it is written once.
        nint array = rings + Field(parameters, 40 + 24);
        for (int i = 0; i < entries; i++)
        {
            Marshal.WriteInt32(array + (i * 4), i);
        }
    }

    /// <summary>Submission entries the ring holds: at most this many operations per <see cref="SubmitAndWait"/>.</summary>
    public uint Entries { get; }

    /// <summary>Entries written since the last <see cref="SubmitAndWait"/>.</summary>
    public uint Queued => _queued;

    /// <summary>
    /// Sets up a ring of <paramref name="entries"/> (a power of two) on the calling thread, which alone may use it.
    /// Null, with the error number, where the kernel is older than 5.18 or a sandbox refuses io_uring (ENOSYS, EPERM).
    /// </summary>
    public static IoUring? TryCreate(uint entries, out int error)
    {
        // Fastest first; each later set drops what an older kernel refuses with EINVAL.
        uint[] attempts =
        [
            SetupSubmitAll | SetupSingleIssuer | SetupDeferTaskRun,
            SetupSubmitAll | SetupCoopTaskRun,
            SetupSubmitAll,
        ];
        error = 0;
        foreach (uint flags in attempts)
        {
            byte[] parameters = new byte[120]; // struct io_uring_params
            MemoryMarshal.Write(parameters.AsSpan(8), flags);
            int fd = (int)Setup(SetupSyscall, entries, parameters);
            if (fd < 0)
            {
                error = Marshal.GetLastPInvokeError();
                continue;
            }

            if (Create(fd, parameters) is { } ring)
            {
                return ring;
            }

            error = Marshal.GetLastPInvokeError();
            _ = LinuxNative.Close(fd);
            return null;
        }

        return null;
    }

    private static IoUring? Create(int fd, byte[] parameters)
    {
        uint sqEntries = MemoryMarshal.Read<uint>(parameters);
        uint cqEntries = MemoryMarshal.Read<uint>(parameters.AsSpan(4));
        uint features = MemoryMarshal.Read<uint>(parameters.AsSpan(20));
        if ((features & FeatureSingleMmap) == 0)
        {
            return null; // Before 5.4: not worth a second mapping, the submit-all flag needs 5.18 anyway.
        }

        nuint submissionLength = (nuint)(Field(parameters, 40 + 24) + (sqEntries * 4));
        nuint completionLength = (nuint)(Field(parameters, 80 + 20) + (cqEntries * CompletionSize));
        nuint ringsLength = Math.Max(submissionLength, completionLength);
        nint rings = Map(0, ringsLength, ProtectReadWrite, MapSharedPopulate, fd, 0);
        if (rings == -1)
        {
            return null;
        }

        nuint entriesLength = sqEntries * EntrySize;
        nint sqes = Map(0, entriesLength, ProtectReadWrite, MapSharedPopulate, fd, OffsetEntries);
        if (sqes == -1)
        {
            _ = Unmap(rings, ringsLength);
            return null;
        }

        return new IoUring(fd, sqEntries, rings, ringsLength, sqes, entriesLength, parameters);
    }

    /// <summary>
    /// The next free submission entry, zeroed, to fill with <see cref="WriteEntry"/>; false when the queue is full
    /// (submit first).
    /// </summary>
    private bool TryNextEntry(out nint entry)
    {
        if (_queued == Entries)
        {
            entry = 0;
            return false;
        }

        entry = _entries + (nint)((_tail & _submissionMask) * EntrySize);
        for (int offset = 0; offset < EntrySize; offset += 8)
        {
            Marshal.WriteInt64(entry + offset, 0);
        }

        _tail++;
        _queued++;
        return true;
    }

    /// <summary>Writes one operation into the next free entry; false when the queue is full (submit first).</summary>
    public bool TryQueue(byte opcode, int fd, nint address, uint length, uint messageFlags, ulong userData)
    {
        if (!TryNextEntry(out nint entry))
        {
            return false;
        }

        WriteEntry(entry, opcode, fd, address, length, messageFlags, userData);
        return true;
    }

    /// <summary>Fills a send entry: opcode, socket, buffer or message header, length, flags and what the completion carries back.</summary>
    private static void WriteEntry(nint entry, byte opcode, int fd, nint address, uint length, uint messageFlags, ulong userData)
    {
        Marshal.WriteByte(entry, opcode);
        Marshal.WriteInt32(entry + 4, fd);
        Marshal.WriteInt64(entry + 16, address);
        Marshal.WriteInt32(entry + 24, (int)length);
        Marshal.WriteInt32(entry + 28, (int)messageFlags);
        Marshal.WriteInt64(entry + 32, (long)userData);
    }

    /// <summary>
    /// Submits every queued entry and waits until each has completed, handing each completion's user data and result
    /// (bytes, or a negated error number) to <paramref name="completed"/>. Sends on non-blocking terms (MSG_DONTWAIT)
    /// complete while being submitted, so the wait is no longer than the submission. Returns false if the kernel
    /// refused the whole submission (the entries are dropped and, having never been submitted, report nothing); throws
    /// <see cref="InvalidOperationException"/> if it failed partway, after which the ring must not be used again.
    /// </summary>
    public bool SubmitAndWait<TState>(TState state, Action<TState, ulong, int> completed)
    {
        uint total = _queued;
        uint toSubmit = total;
        uint outstanding = total;
        Interlocked.MemoryBarrier(); // The entries are written before the tail that publishes them.
        Marshal.WriteInt32(_submissionTail, (int)_tail);
        _queued = 0;
        for (int attempt = 0; outstanding > 0; attempt++)
        {
            // A partial submission returns at once without waiting, so asking for every outstanding completion is safe.
            long submitted = Enter(EnterSyscall, _fd, toSubmit, outstanding, EnterGetEvents, 0, 0);
            if (submitted >= 0)
            {
                toSubmit -= (uint)Math.Min(submitted, toSubmit);
            }
            else if (Marshal.GetLastPInvokeError() is not (ErrorInterrupted or ErrorAgain or ErrorBusy) || attempt >= MaxAttempts)
            {
                if (toSubmit == total)
                {
                    _queued = total;
                    Discard(); // None was submitted: the entries are free again, and none has reported.
                    Marshal.WriteInt32(_submissionTail, (int)_tail);
                    return false;
                }

                // Some were submitted (and may have reported), some not: the ring's state is no longer known.
                throw new InvalidOperationException($"io_uring_enter failed ({Marshal.GetLastPInvokeError()}) partway through a submission.");
            }

            outstanding -= Reap(state, completed);
            if (attempt >= MaxAttempts && outstanding > 0)
            {
                throw new InvalidOperationException("io_uring_enter returned without completing the operations in flight.");
            }
        }

        return true;
    }

    /// <summary>Forgets the entries written since the last submission: they are never submitted.</summary>
    public void Discard()
    {
        _tail -= _queued;
        _queued = 0;
    }

    /// <summary>Hands every completion posted so far to <paramref name="completed"/> and frees its slot; returns how many.</summary>
    private uint Reap<TState>(TState state, Action<TState, ulong, int> completed)
    {
        uint head = (uint)Marshal.ReadInt32(_completionHead);
        uint tail = (uint)Marshal.ReadInt32(_completionTail);
        Interlocked.MemoryBarrier(); // The entries are read after the tail that published them.
        for (uint at = head; at != tail; at++)
        {
            nint completion = _completions + (nint)((at & _completionMask) * CompletionSize);
            completed(state, (ulong)Marshal.ReadInt64(completion), Marshal.ReadInt32(completion + 8));
        }

        Interlocked.MemoryBarrier();
        Marshal.WriteInt32(_completionHead, (int)tail);
        return tail - head;
    }

    private static int Field(ReadOnlySpan<byte> parameters, int offset) => MemoryMarshal.Read<int>(parameters[offset..]);

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _ = Unmap(_entries, _entriesLength);
        _ = Unmap(_rings, _ringsLength);
        _ = LinuxNative.Close(_fd);
    }

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long Setup(long number, uint entries, Span<byte> parameters);

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long Enter(long number, int fd, uint toSubmit, uint minComplete, uint flags, nint signals, nint signalsSize);

    [LibraryImport("libc", EntryPoint = "mmap", SetLastError = true)]
    private static partial nint Map(nint address, nuint length, int protection, int flags, int fd, long offset);

    [LibraryImport("libc", EntryPoint = "munmap")]
    private static partial int Unmap(nint address, nuint length);
}
