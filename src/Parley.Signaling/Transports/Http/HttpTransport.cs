using System.Net;
using System.Net.WebSockets;

namespace Parley.Signaling.Transports.Http;

/// <summary>
/// One signaling session over HTTP (docs/protocol.md, "Signaling over HTTP"): POSTs carry the client's messages,
/// numbered so that order holds and retries apply once (<see cref="InboundSequencer"/>); an event stream or a series of
/// long polls carries the server's (<see cref="EventLog"/>), one reader at a time, the newest replacing any other.
/// A session with no request from its client for <see cref="HttpSignalingOptions.IdleSeconds"/> has vanished.
/// </summary>
internal sealed class HttpTransport : ISignalingTransport, IDisposable
{
    private readonly Lock gate = new(); // the log and the readers; never held while calling out
    private readonly Lock inboundGate = new(); // the sequencer, and delivery in order; held while the session dispatches
    private readonly EventLog log;
    private readonly InboundSequencer sequencer;
    private readonly TaskCompletionSource<TransportEnd> end = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TimeProvider time;
    private readonly TimeSpan idleAfter;
    private readonly ITimer idleCheck;
    // Completed outside the lock, with the reader's continuation on the completing thread: a message queued by a POST
    // (or a WebSocket room mate) goes out on the event stream from that thread, as a WebSocket send does, without a
    // thread-pool hop (which cost half the server's CPU in thread-pool spinning, docs/benchmarks.md).
    private TaskCompletionSource readable = new();
    private IInboundMessages? inbound;
    private int readerGeneration;
    private int openRequests;
    private long lastRequestTimestamp;
    private (WebSocketCloseStatus Status, string Reason)? close;
    private string name = "sse";

    public HttpTransport(string id, IPAddress? owner, SignalingOptions options, TimeProvider time)
    {
        Id = id;
        Owner = owner;
        this.time = time;
        log = new EventLog(options.MaxQueuedMessages, options.MaxQueuedBytes);
        sequencer = new InboundSequencer(options.Http.MaxPendingMessages, options.MaxQueuedBytes);
        idleAfter = TimeSpan.FromSeconds(options.Http.IdleSeconds);
        lastRequestTimestamp = time.GetTimestamp();
        var period = idleAfter / 3;
        idleCheck = time.CreateTimer(static state => ((HttpTransport)state!).CheckIdle(), this, period, period);
    }

    /// <summary>The session id: unguessable, and only good from <see cref="Owner"/>.</summary>
    public string Id { get; }

    /// <summary>The address that created the session; requests from any other do not find it.</summary>
    public IPAddress? Owner { get; }

    public string Name => Volatile.Read(ref name);

    /// <summary>Requests for this session in progress (an open event stream or poll, a POST); for tests.</summary>
    internal int OpenRequests => Volatile.Read(ref openRequests);

    /// <summary>The session has ended; its id finds nothing any more.</summary>
    public Task Ended => end.Task;

    public async Task<TransportEnd> ReceiveAsync(IInboundMessages inbound, CancellationToken cancellationToken)
    {
        Volatile.Write(ref this.inbound, inbound);
        try
        {
            return await end.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            End(TransportEnd.Vanished);
            return TransportEnd.Vanished;
        }
    }

    public ValueTask<bool> SendAsync(byte[] message, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        TaskCompletionSource woken;
        lock (gate)
        {
            if (!log.TryAppend(message))
            {
                // The client takes nothing (no reader for long, or one that stopped reading): it is as gone as a
                // WebSocket whose send failed.
                return ValueTask.FromResult(false);
            }

            woken = TakeReadersLocked();
        }

        woken.TrySetResult();
        return ValueTask.FromResult(true);
    }

    public ValueTask CloseAsync(WebSocketCloseStatus status, string reason, CancellationToken cancellationToken)
    {
        TaskCompletionSource woken;
        lock (gate)
        {
            close = (status, reason);
            woken = TakeReadersLocked();
        }

        woken.TrySetResult();
        return ValueTask.CompletedTask;
    }

    /// <summary>The client closed the session on purpose (<c>DELETE</c>), with a WebSocket close code's meaning.</summary>
    public void CloseFromClient(WebSocketCloseStatus? status) => End(TransportEnd.Closed(status));

    /// <summary>A request for this session begins: it is not idle while one is open.</summary>
    public void BeginRequest()
    {
        Interlocked.Increment(ref openRequests);
        Volatile.Write(ref lastRequestTimestamp, time.GetTimestamp());
    }

    public void EndRequest()
    {
        Volatile.Write(ref lastRequestTimestamp, time.GetTimestamp());
        Interlocked.Decrement(ref openRequests);
    }

    /// <summary>
    /// Message <paramref name="sequence"/> of the client's, from a POST: applied now (with any held ones it
    /// releases), held, or ignored as a duplicate.
    /// </summary>
    public SequenceResult Deliver(long sequence, ReadOnlySpan<byte> message)
    {
        if (Volatile.Read(ref inbound) is not { } messages || end.Task.IsCompleted)
        {
            return SequenceResult.Duplicate; // The session is over: nothing is applied any more.
        }

        lock (inboundGate)
        {
            var result = sequencer.Accept(sequence, message);
            if (result == SequenceResult.Ready)
            {
                messages.OnMessage(message, isText: true);
                while (!messages.IsClosing && sequencer.TryTakeNext(out var held))
                {
                    messages.OnMessage(held, isText: true);
                }
            }

            return result;
        }
    }

    /// <summary>A POST body over the message limit: the session refuses it and closes, as over WebSocket.</summary>
    public void RefuseTooLarge() => Volatile.Read(ref inbound)?.OnTooLarge();

    /// <summary>
    /// A reader (<paramref name="kind"/>: <c>sse</c> or <c>long-poll</c>) attaches, having seen every message through
    /// <paramref name="lastSeen"/>; any other reader is superseded. Null when messages it missed are gone: the session
    /// ends (as vanished: its participant may resume on a new one).
    /// </summary>
    public int? AttachReader(long lastSeen, string kind)
    {
        TaskCompletionSource woken;
        int? generation = null;
        lock (gate)
        {
            if (!log.TryResumeAfter(lastSeen))
            {
                end.TrySetResult(TransportEnd.Vanished);
            }
            else
            {
                Volatile.Write(ref name, kind);
                generation = ++readerGeneration;
            }

            woken = TakeReadersLocked();
        }

        woken.TrySetResult(); // the superseded reader, if any, ends (it sees the new generation)
        return generation;
    }

    /// <summary>
    /// For reader <paramref name="generation"/>: the messages after <paramref name="after"/> (at most
    /// <paramref name="max"/>) into <paramref name="into"/>, or, once all are taken, the close; otherwise waits up to
    /// <paramref name="wait"/> for either.
    /// </summary>
    public async Task<ReadOutcome> ReadAsync(int generation, long after, int max, List<(long Sequence, byte[] Message)> into,
        TimeSpan wait, CancellationToken cancellationToken)
    {
        Task next;
        lock (gate)
        {
            if (TakeLocked(generation, after, max, into) is { } outcome)
            {
                return outcome;
            }

            next = readable.Task;
        }

        try
        {
            await next.WaitAsync(wait, time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return ReadOutcome.Timeout;
        }

        lock (gate)
        {
            return TakeLocked(generation, after, max, into) ?? ReadOutcome.Timeout;
        }
    }

    /// <summary>The close, once a reader has every message before it.</summary>
    public (WebSocketCloseStatus Status, string Reason) Close
    {
        get
        {
            lock (gate)
            {
                return close ?? default;
            }
        }
    }

    /// <summary>A reader delivered the close: the session is over from the client's side too.</summary>
    public void OnCloseDelivered() => End(new TransportEnd(CloseReceived: true, LeftCleanly: false));

    public void Dispose() => idleCheck.Dispose();

    private ReadOutcome? TakeLocked(int generation, long after, int max, List<(long Sequence, byte[] Message)> into)
    {
        if (generation != readerGeneration || end.Task.IsCompleted)
        {
            return ReadOutcome.Superseded;
        }

        log.TakeAfter(after, max, into);
        if (into.Count > 0)
        {
            return ReadOutcome.Messages;
        }

        return close is not null && after >= log.NextSequence - 1 ? ReadOutcome.Closed : null;
    }

    /// <summary>The readers' wait, replaced by a new one; the caller completes it once it has released the lock.</summary>
    private TaskCompletionSource TakeReadersLocked()
    {
        var woken = readable;
        readable = new TaskCompletionSource();
        return woken;
    }

    private void CheckIdle()
    {
        if (Volatile.Read(ref openRequests) == 0 && time.GetElapsedTime(Volatile.Read(ref lastRequestTimestamp)) >= idleAfter)
        {
            End(TransportEnd.Vanished);
        }
    }

    /// <summary>Ends the session's client side, and any reader with it.</summary>
    private void End(TransportEnd how)
    {
        end.TrySetResult(how);
        TaskCompletionSource woken;
        lock (gate)
        {
            woken = TakeReadersLocked();
        }

        woken.TrySetResult();
    }
}

/// <summary>What a reader's wait ended with.</summary>
internal enum ReadOutcome
{
    /// <summary>Messages to write.</summary>
    Messages,

    /// <summary>Every message is out and the session closes: write the close, then end.</summary>
    Closed,

    /// <summary>Another reader took over, or the session ended: end without a word.</summary>
    Superseded,

    /// <summary>Nothing came within the wait.</summary>
    Timeout,
}
