namespace Parley.Signaling.Sessions;

/// <summary>
/// How a compatibility connection (PeerJS, the WebTorrent tracker) ends, beside its <see cref="Outbox"/>: a closing
/// flag claimed once, a token that aborts the transport's pending reads and writes, and the end of sending, which the
/// receive loop awaits so the close frame goes out before the socket is disposed. Public for those endpoints, as the
/// outbox is.
/// </summary>
public sealed class ConnectionLifetime : IDisposable
{
    private readonly CancellationTokenSource lifetime = new();
    private readonly TaskCompletionSource sendingDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int closing;

    /// <summary>Cancelled by <see cref="Abort"/>: the transport's reads and writes stop.</summary>
    public CancellationToken Token => lifetime.Token;

    /// <summary>Whether the connection is closing: what it sends is no longer read.</summary>
    public bool IsClosing => Volatile.Read(ref closing) != 0;

    /// <summary>Completes once nothing more will be sent (the close went out, or sending stopped).</summary>
    public Task SendingDone => sendingDone.Task;

    /// <summary>Claims the close: true for the one caller that starts it.</summary>
    public bool TryStartClosing() => Interlocked.Exchange(ref closing, 1) == 0;

    /// <summary>The drain sent the close: sending is done.</summary>
    public void SendingEnded() => sendingDone.TrySetResult();

    /// <summary>Nothing queued can be sent any more (a send failed, or the transport was aborted): close at once.</summary>
    public void StopSending()
    {
        Interlocked.Exchange(ref closing, 1);
        Abort();
        sendingDone.TrySetResult();
    }

    /// <summary>Aborts the transport's pending reads and writes; safe from timers that fire late.</summary>
    public void Abort()
    {
        try
        {
            lifetime.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public void Dispose() => lifetime.Dispose();
}
