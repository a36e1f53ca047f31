namespace Parley.Bench.Signaling;

/// <summary>
/// The tutorial relay (bench/signaling/broadcast-relay.js): no handshake, no addressing; every message reaches
/// every other client, which keeps the ones whose bench marker names it. Messages use Parley's format.
/// </summary>
internal sealed class BroadcastRelayProtocol : ISignalingProtocol
{
    public string Name => "ws-relay";

    public bool ReadyOnConnect => true;

    public byte[]? Heartbeat => null;

    public IParticipantLinks Links(int port, int participants) => new WebSocketLinks(_ => new Uri($"ws://127.0.0.1:{port}/"));

    public void OnControlFrame(Participant participant, ReadOnlySpan<byte> frame)
    {
        // Everything relayed here is another client's message; non-benchmark frames do not occur.
    }

    public MessageTemplate Template(MessageKind kind, string destinationAddress, int destinationIndex) =>
        new(RelayMessages.ParleyStyle(kind, destinationAddress, destinationIndex));
}
