using System.Net.WebSockets;

namespace Parley.Signaling.Sessions;

public sealed partial class SignalingSession
{
    private ISessionBridge? bridge;

    /// <summary>
    /// From now on the client's messages go to <paramref name="to"/> (after this node's own rate limit), and the owner
    /// node's session answers; this one holds no membership and no join deadline (the owner's session has both).
    /// </summary>
    public void HandOver(ISessionBridge to)
    {
        StopJoinTimeout();
        Volatile.Write(ref bridge, to);
    }

    /// <summary>
    /// The owner node's session closed with <paramref name="status"/>: close the client's transport the same way, after
    /// what the owner sent before it.
    /// </summary>
    public void CloseForOwner(WebSocketCloseStatus status, string reason)
    {
        if (Interlocked.CompareExchange(ref closing, ClosingWithMessage, Open) != Open)
        {
            return;
        }

        closeStatus = status;
        closeReason = reason;
        CompleteOutbox();
    }

    /// <summary>
    /// This node can no longer reach the owner (it died, or the shared store went away): the client is sent
    /// <paramref name="goAwayFrame"/> and closed with 1012, so it resumes, wherever its room is served then.
    /// </summary>
    public void LoseOwner(byte[] goAwayFrame) => BeginShutdown(goAwayFrame);
}
