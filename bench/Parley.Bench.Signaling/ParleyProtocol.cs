using System.Text;
using System.Text.Json;

namespace Parley.Bench.Signaling;

/// <summary>
/// Parley (docs/protocol.md): wait for <c>hello</c>, send <c>join</c>, become addressable by <c>joined.self.id</c>;
/// answer every <c>ping</c> with <c>pong</c>; relay with <c>to</c>. Over a WebSocket (<c>parley</c>), or over HTTP
/// (<c>parley-http</c>: an event stream down, numbered POSTs up, docs/protocol.md "Signaling over HTTP").
/// </summary>
/// <param name="overHttp">Each participant opens an HTTP session instead of a WebSocket.</param>
/// <param name="secondNodeOffset">
/// Two nodes (<c>parley-2nodes</c>): odd participants connect to the node this many ports above the first, so each room
/// (opened by an even participant) is served by the first node and every message crosses between the nodes.
/// </param>
internal sealed class ParleyProtocol(bool overHttp = false, int secondNodeOffset = 0) : ISignalingProtocol
{
    private static readonly byte[] Pong = """{"type":"pong"}"""u8.ToArray();

    public string Name => overHttp ? "parley-http" : secondNodeOffset > 0 ? "parley-2nodes" : "parley";

    public bool ReadyOnConnect => false;

    public byte[]? Heartbeat => null;

    public IParticipantLinks Links(int port, int participants) => overHttp
        ? new HttpLinks(new Uri($"http://127.0.0.1:{port}/signal"), participants)
        : new WebSocketLinks(participant => new Uri($"ws://127.0.0.1:{port + (participant.Index % 2) * secondNodeOffset}/ws"));

    public void OnControlFrame(Participant participant, ReadOnlySpan<byte> frame)
    {
        using JsonDocument document = JsonDocument.Parse(frame.ToArray());
        JsonElement root = document.RootElement;
        switch (root.GetProperty("type").GetString())
        {
            case "hello":
                participant.Send(Encoding.UTF8.GetBytes(
                    $$"""{"type":"join","protocol":1,"room":"{{participant.Room}}","name":"{{participant.Key}}"}"""));
                break;
            case "joined":
                participant.MarkReady(root.GetProperty("self").GetProperty("id").GetString()!);
                break;
            case "ping":
                participant.Send(Pong);
                break;
            case "error":
                participant.OnServerError(root.GetProperty("code").GetString() ?? "error");
                break;
        }
    }

    public MessageTemplate Template(MessageKind kind, string destinationAddress, int destinationIndex) =>
        new(RelayMessages.ParleyStyle(kind, destinationAddress, destinationIndex));
}
