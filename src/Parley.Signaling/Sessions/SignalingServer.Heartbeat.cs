using Parley.Signaling.Protocol;

namespace Parley.Signaling.Sessions;

public sealed partial class SignalingServer
{
    internal static readonly byte[] PingFrame = ProtocolJson.Serialize(new HeartbeatPingMessage(), SignalingJsonContext.Default.HeartbeatPingMessage);

    private readonly ITimer heartbeat;

    /// <summary>Open sessions; for tests and diagnostics.</summary>
    public int SessionCount => sessions.Count;

    /// <summary>The open sessions themselves; for tests.</summary>
    internal IEnumerable<SignalingSession> Sessions => sessions.Keys;

    /// <summary>
    /// Every <see cref="SignalingOptions.HeartbeatSeconds"/>: pings every connection, and closes those that sent
    /// nothing for <see cref="SignalingOptions.HeartbeatTimeoutSeconds"/>. Their participants keep their places for
    /// the grace period: a silent connection is most often a lost network, whose client will resume.
    /// </summary>
    private void OnHeartbeat()
    {
        var timeout = TimeSpan.FromSeconds(Options.HeartbeatTimeoutSeconds);
        foreach (var (session, _) in sessions)
        {
            if (Time.GetElapsedTime(session.LastReceivedTimestamp) >= timeout)
            {
                session.Fail(new ProtocolError(ErrorCode.HeartbeatTimeout, $"Nothing arrived for {Options.HeartbeatTimeoutSeconds} seconds."),
                    System.Net.WebSockets.WebSocketCloseStatus.PolicyViolation, keepPlace: true);
            }
            else
            {
                session.TrySend(PingFrame);
            }
        }
    }
}
