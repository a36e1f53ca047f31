using Parley.Signaling.Transports;

namespace Parley.Signaling.Sessions;

/// <summary>
/// Carries a handed-over session's client messages to the node that owns its room (<see cref="IRoomRouter"/>); what
/// the owner sends comes back through <see cref="SignalingSession.TrySend"/> and
/// <see cref="SignalingSession.CloseForOwner"/>.
/// </summary>
public interface ISessionBridge
{
    /// <summary>One client message, in the client's order; never blocks.</summary>
    void Forward(ReadOnlySpan<byte> message, bool isText);

    /// <summary>The client's side ended (<paramref name="how"/>), or this node ended it (vanished, as far as the owner knows).</summary>
    void ClientEnded(TransportEnd how);
}
