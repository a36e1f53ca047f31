using System.Net.WebSockets;
using Parley.Signaling.Protocol;

namespace Parley.Signaling.Sessions;

public sealed partial class SignalingSession
{
    /// <summary>A connection that sent something this recently is alive: a peer-lost report about it is not checked.</summary>
    private static readonly TimeSpan QuietBeforeCheck = TimeSpan.FromSeconds(2);

    private ITimer? aliveCheck;
    private long receivedMessages;

    /// <summary>How many messages the transport has handed this session (tests wait on it).</summary>
    internal long ReceivedMessages => Volatile.Read(ref receivedMessages);

    /// <inheritdoc />
    /// <remarks>
    /// Pings now and, if nothing at all arrives within <see cref="SignalingOptions.PeerLostCheckSeconds"/>, closes
    /// with <c>heartbeat-timeout</c> and announces the participant as left at once: the room mates' peer
    /// connections already say it is gone, so the grace period would only keep a ghost in their lists. A client
    /// that was merely slow resumes with the same id.
    /// </remarks>
    public void CheckAlive()
    {
        // One check at a time: further reports while it runs change nothing. Reports about one participant come
        // from its room, under the room's lock, so only the expiring timer races with this, and it only clears.
        var seconds = server.Options.PeerLostCheckSeconds;
        if (seconds == 0 || Volatile.Read(ref aliveCheck) is not null || Volatile.Read(ref closing) != 0
            || server.Time.GetElapsedTime(LastReceivedTimestamp) < QuietBeforeCheck)
        {
            return;
        }

        // Counted, not timed: any message at all after the ping, even within the same clock tick, is an answer.
        // The check is recorded before the ping goes out: a client that vanishes on receiving it ends the receive
        // loop, which must find the check under way to announce the participant left (EndMembership). Recorded
        // after, under load the loop ended first and kept the place of a participant both sides had lost.
        var receivedBefore = Volatile.Read(ref receivedMessages);
        Volatile.Write(ref aliveCheck, server.Time.CreateTimer(static state =>
        {
            var (session, before) = ((SignalingSession, long))state!;
            session.OnAliveCheckExpired(before);
        }, (this, receivedBefore), TimeSpan.FromSeconds(seconds), Timeout.InfiniteTimeSpan));
        TrySend(SignalingServer.PingFrame);
    }

    private void OnAliveCheckExpired(long receivedBefore)
    {
        Interlocked.Exchange(ref aliveCheck, null)?.Dispose();
        if (Volatile.Read(ref receivedMessages) == receivedBefore)
        {
            Fail(new ProtocolError(ErrorCode.HeartbeatTimeout,
                $"No answer within {server.Options.PeerLostCheckSeconds} seconds after a room mate lost its connection to this participant."),
                WebSocketCloseStatus.PolicyViolation);
        }
    }
}
