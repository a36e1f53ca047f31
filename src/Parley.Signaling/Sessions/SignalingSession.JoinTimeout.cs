using System.Net.WebSockets;
using Parley.Signaling.Protocol;

namespace Parley.Signaling.Sessions;

/// <summary>
/// The join timeout: a connection that has not joined a room within <c>Signaling:JoinTimeoutSeconds</c> is closed.
/// Its timer fires on its own thread while the receive loop may be in the middle of a join, which a room has
/// already announced: so a join attempt holds the timeout off until it ends, and one that fails lets it fire then.
/// </summary>
public sealed partial class SignalingSession
{
    private const int AwaitingJoin = 0;
    private const int JoinAttempt = 1;
    private const int JoinAttemptPastDeadline = 2;
    private const int JoinedOnce = 3;
    private const int JoinTimedOut = 4;

    /// <summary>Where the join timeout stands; changed only by compare-exchange, by the receive loop and the timer.</summary>
    private int joinState;
    private ITimer? joinTimer;

    private void StartJoinTimeout() =>
        joinTimer = server.Time.CreateTimer(static state => ((SignalingSession)state!).OnJoinDeadline(), this,
            TimeSpan.FromSeconds(server.Options.JoinTimeoutSeconds), Timeout.InfiniteTimeSpan);

    /// <summary>
    /// Called by <c>join</c> and <c>resume</c> before they enter a room: the timeout waits until the attempt ends in
    /// <see cref="OnJoined"/> or <see cref="EndFailedJoinAttempt"/>. False once it has closed the connection.
    /// </summary>
    internal bool TryBeginJoinAttempt() =>
        Interlocked.CompareExchange(ref joinState, JoinAttempt, AwaitingJoin) is AwaitingJoin or JoinedOnce;

    /// <summary>The attempt was refused: the timeout runs on, and closes the connection now if its deadline passed meanwhile.</summary>
    internal void EndFailedJoinAttempt()
    {
        if (Interlocked.CompareExchange(ref joinState, AwaitingJoin, JoinAttempt) == JoinAttemptPastDeadline
            && Interlocked.CompareExchange(ref joinState, JoinTimedOut, JoinAttemptPastDeadline) == JoinAttemptPastDeadline)
        {
            FailJoinTimeout();
        }
    }

    private void StopJoinTimeout()
    {
        Volatile.Write(ref joinState, JoinedOnce);
        Interlocked.Exchange(ref joinTimer, null)?.Dispose();
    }

    private void OnJoinDeadline()
    {
        while (true)
        {
            switch (Volatile.Read(ref joinState))
            {
                case AwaitingJoin when Interlocked.CompareExchange(ref joinState, JoinTimedOut, AwaitingJoin) == AwaitingJoin:
                    FailJoinTimeout();
                    return;
                case JoinAttempt when Interlocked.CompareExchange(ref joinState, JoinAttemptPastDeadline, JoinAttempt) == JoinAttempt:
                    return; // The attempt decides: joined, or refused and closed at its end.
                case AwaitingJoin or JoinAttempt:
                    continue; // Changed under us: look again.
                default:
                    return; // Joined, or already timed out.
            }
        }
    }

    private void FailJoinTimeout() =>
        Fail(new ProtocolError(ErrorCode.JoinTimeout, $"No join within {server.Options.JoinTimeoutSeconds} seconds."), WebSocketCloseStatus.PolicyViolation);
}
