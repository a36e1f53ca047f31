using Microsoft.Extensions.Logging;
using Parley.Signaling.Protocol;

namespace Parley.Signaling.Sessions;

/// <summary>
/// A <c>join</c> or <c>resume</c> that waits for the shared store (several nodes: where the room lives, a seat) waits
/// without a thread: the session holds the client's later messages, in arrival order and each already counted against
/// the rate limit, and dispatches them once the entry is decided, as if it had been decided at once. One process never
/// waits, so nothing is ever held there.
/// </summary>
public sealed partial class SignalingSession
{
    /// <summary>Messages that arrived while an entry waited; made at the first wait. Also the lock for <see cref="holding"/>.</summary>
    private Queue<HeldMessage>? held;

    /// <summary>True from an entry's wait until the messages held meanwhile are dispatched (the receive loop reads it unlocked).</summary>
    private volatile bool holding;

    /// <summary>True while an entry waits; cleared when it is decided (guarded by <see cref="held"/>).</summary>
    private bool entryWaiting;

    /// <summary>The bytes of the messages held now (guarded by <see cref="held"/>).</summary>
    private int heldBytes;

    /// <summary>
    /// Runs the rest of an entry: its refusal, if it is decided already, is returned as any handler's is; otherwise the
    /// session holds later messages until it is decided, sends its refusal then, and dispatches what it held.
    /// </summary>
    internal ProtocolError? AwaitEntry(ValueTask<ProtocolError?> entry, string type)
    {
        if (entry.IsCompleted)
        {
            return entry.GetAwaiter().GetResult();
        }

        var gate = LazyInitializer.EnsureInitialized(ref held);
        lock (gate)
        {
            entryWaiting = true;
            holding = true;
        }

        _ = FinishEntryAsync(entry, type, gate);
        return null;
    }

    private async Task FinishEntryAsync(ValueTask<ProtocolError?> entry, string type, Queue<HeldMessage> gate)
    {
        ProtocolError? refused;
        try
        {
            refused = await entry.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            SignalingLog.EntryFailed(logger, ex, ConnectionId, type);
            // A fault in the server, not an answer: the client hears it failed and may try again.
            refused = new ProtocolError(ErrorCode.Unavailable, $"The server failed to decide this {type}; try again in a moment.");
        }

        lock (gate)
        {
            entryWaiting = false;
        }

        if (refused is { } error)
        {
            SendError(error, type);
        }

        DispatchHeld(gate);
    }

    /// <summary>Holds a message that arrived while an entry waits; false if none waits any more (dispatch it now).</summary>
    private bool TryHold(ReadOnlySpan<byte> message, bool isText)
    {
        var gate = held!;
        lock (gate)
        {
            if (!holding)
            {
                return false;
            }

            // Bounded as the outbox is, in messages and bytes: an entry waits at most the shared store's timeout, and a
            // client that sends more meanwhile loses what is over (as a rate-limited message is lost), with an error.
            if (gate.Count >= server.Options.MaxQueuedMessages || heldBytes + message.Length > server.Options.MaxQueuedBytes)
            {
                SendError(new ProtocolError(ErrorCode.RateExceeded,
                    "Too much sent while the join is decided; the message was dropped."), null);
                return true;
            }

            heldBytes += message.Length;
            gate.Enqueue(new HeldMessage(message.ToArray(), isText));
            return true;
        }
    }

    /// <summary>Dispatches the held messages in order, until none is left or one of them starts another entry that waits.</summary>
    private void DispatchHeld(Queue<HeldMessage> gate)
    {
        while (true)
        {
            HeldMessage next;
            lock (gate)
            {
                if (entryWaiting)
                {
                    return; // That entry's end goes on from here.
                }

                if (!gate.TryDequeue(out next))
                {
                    holding = false;
                    return;
                }

                heldBytes -= next.Message.Length;
            }

            if (Volatile.Read(ref closing) == Open && !server.IsShuttingDown)
            {
                DispatchAdmitted(next.IsText, next.Message);
            }
        }
    }

    private readonly record struct HeldMessage(byte[] Message, bool IsText);
}
