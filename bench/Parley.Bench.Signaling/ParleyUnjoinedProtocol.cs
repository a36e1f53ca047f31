using System.Text.Json;

namespace Parley.Bench.Signaling;

/// <summary>
/// Parley connections that never join a room (memory runs only): with <see cref="ParleyProtocol"/> it splits memory per
/// connection into what the socket and session cost and what the room membership adds.
/// </summary>
internal sealed class ParleyUnjoinedProtocol : ISignalingProtocol
{
    private static readonly byte[] Pong = """{"type":"pong"}"""u8.ToArray();

    public string Name => "parley-unjoined";

    public bool ReadyOnConnect => true;

    public byte[]? Heartbeat => null;

    public IParticipantLinks Links(int port, int participants) => new WebSocketLinks(_ => new Uri($"ws://127.0.0.1:{port}/ws"));

    public void OnControlFrame(Participant participant, ReadOnlySpan<byte> frame)
    {
        using JsonDocument document = JsonDocument.Parse(frame.ToArray());
        if (document.RootElement.GetProperty("type").GetString() == "ping")
        {
            participant.Send(Pong);
        }
    }

    public MessageTemplate Template(MessageKind kind, string destinationAddress, int destinationIndex) =>
        throw new NotSupportedException("Participants that never join cannot relay.");
}
