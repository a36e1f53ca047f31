using System.Text.Json;

namespace Parley.Bench.Signaling;

/// <summary>
/// peerjs-server (npm <c>peer</c> 1.0.x): the client picks its id in the URL, the server answers <c>OPEN</c>;
/// clients relay with <c>dst</c> (the server adds <c>src</c>) and must send <c>HEARTBEAT</c> within
/// <c>alive_timeout</c> (90 s) or be dropped.
/// </summary>
internal sealed class PeerJsProtocol : ISignalingProtocol
{
    public string Name => "peerjs";

    public bool ReadyOnConnect => false;

    public byte[]? Heartbeat { get; } = """{"type":"HEARTBEAT"}"""u8.ToArray();

    public IParticipantLinks Links(int port, int participants) => new WebSocketLinks(participant =>
        new Uri($"ws://127.0.0.1:{port}/peerjs?key=peerjs&id={participant.Key}&token=t{Random.Shared.Next():x8}"));

    public void OnControlFrame(Participant participant, ReadOnlySpan<byte> frame)
    {
        using JsonDocument document = JsonDocument.Parse(frame.ToArray());
        switch (document.RootElement.GetProperty("type").GetString())
        {
            case "OPEN":
                participant.MarkReady(participant.Key);
                break;
            case "ERROR":
            case "ID-TAKEN":
            case "INVALID-KEY":
                participant.OnServerError(document.RootElement.GetRawText());
                break;
        }
    }

    public MessageTemplate Template(MessageKind kind, string destinationAddress, int destinationIndex) =>
        new(RelayMessages.PeerJsStyle(kind, destinationAddress, destinationIndex));
}
