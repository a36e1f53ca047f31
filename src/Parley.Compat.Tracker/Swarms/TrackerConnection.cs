namespace Parley.Compat.Tracker.Swarms;

/// <summary>Where frames for one tracker connection go: its socket's outbox, or a list in tests.</summary>
internal interface ITrackerSink
{
    /// <summary>Queues one frame; never blocks. A client that stopped reading is closed by the sink.</summary>
    void Send(byte[] frame);
}

/// <summary>
/// One client socket as the swarms see it: the (info_hash, peer_id) memberships it holds, so that its close is
/// <c>stopped</c> in each of them. Guarded by <see cref="TrackerSwarms"/>'s lock.
/// </summary>
internal sealed class TrackerConnection(string id, ITrackerSink sink)
{
    public string Id { get; } = id;

    public ITrackerSink Sink { get; } = sink;

    public HashSet<(string InfoHash, string PeerId)> Memberships { get; } = [];
}

/// <summary>A frame to send once the swarms' lock is released.</summary>
internal readonly record struct Outgoing(TrackerConnection To, byte[] Frame);
