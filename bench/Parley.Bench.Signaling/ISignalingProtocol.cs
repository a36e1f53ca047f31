namespace Parley.Bench.Signaling;

/// <summary>How one server's clients connect, become addressable, keep alive and relay negotiation messages.</summary>
internal interface ISignalingProtocol
{
    string Name { get; }

    /// <summary>The links a pool of <paramref name="participants"/> connects with, to the server on <paramref name="port"/>.</summary>
    IParticipantLinks Links(int port, int participants);

    /// <summary>True when a participant is addressable as soon as its socket opens (no handshake).</summary>
    bool ReadyOnConnect { get; }

    /// <summary>A frame every participant sends periodically to stay connected, or null.</summary>
    byte[]? Heartbeat { get; }

    /// <summary>Handles a frame that is not benchmark traffic: handshakes, server pings, errors.</summary>
    void OnControlFrame(Participant participant, ReadOnlySpan<byte> frame);

    MessageTemplate Template(MessageKind kind, string destinationAddress, int destinationIndex);
}
