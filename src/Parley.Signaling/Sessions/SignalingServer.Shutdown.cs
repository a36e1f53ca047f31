using Parley.Signaling.Protocol;

namespace Parley.Signaling.Sessions;

public sealed partial class SignalingServer
{
    private readonly TaskCompletionSource drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int shuttingDown;

    /// <summary>True once <see cref="BeginShutdown"/> ran: no session takes new messages or announces departures.</summary>
    public bool IsShuttingDown => Volatile.Read(ref shuttingDown) != 0;

    private byte[] GoAwayFrame { get; }

    /// <summary>
    /// The server is stopping (docs/protocol.md, "Server shutdown"): every session stops reading, sends what
    /// it had queued, then <c>goaway</c>, and closes with 1012. Nobody is announced as left: everyone goes at
    /// once and will resume. Returns at once; sessions end as their clients answer the close.
    /// </summary>
    public void BeginShutdown()
    {
        if (Interlocked.Exchange(ref shuttingDown, 1) != 0)
        {
            return;
        }

        SignalingLog.ShuttingDown(sessionLogger, sessions.Count);
        foreach (var (session, _) in sessions)
        {
            session.BeginShutdown(GoAwayFrame);
        }

        SignalDrainedIfEmpty();
    }

    /// <summary>After <see cref="BeginShutdown"/>: waits until every session has ended, or <paramref name="cancellationToken"/> fires.</summary>
    public Task WaitForSessionsAsync(CancellationToken cancellationToken) => drained.Task.WaitAsync(cancellationToken);

    private void SignalDrainedIfEmpty()
    {
        if (IsShuttingDown && sessions.IsEmpty)
        {
            drained.TrySetResult();
        }
    }
}
