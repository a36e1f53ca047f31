using System.Text.Json;

namespace Parley.Compat.PeerJs.Protocol;

/// <summary>Reads client messages and writes server messages (UTF-8 JSON text frames). No I/O; never throws on input.</summary>
public static class PeerJsFrames
{
    /// <summary><c>{"type":"OPEN"}</c>, the same bytes for every client.</summary>
    public static byte[] Open { get; } = Write(new PeerJsServerMessage(PeerJsMessageType.Open));

    /// <summary><c>{"type":"ID-TAKEN","payload":{"msg":"ID is taken"}}</c>, as peerjs-server.</summary>
    public static byte[] IdTaken { get; } = Write(new PeerJsServerMessage(PeerJsMessageType.IdTaken, Payload: MessagePayload(PeerJsErrors.IdTaken)));

    /// <summary><c>{"type":"ERROR","payload":{"msg":...}}</c>.</summary>
    public static byte[] Error(string message) => Write(new PeerJsServerMessage(PeerJsMessageType.Error, Payload: MessagePayload(message)));

    /// <summary>
    /// To <paramref name="sender"/>: its messages for <paramref name="absent"/> expired. <c>src</c> is the absent id, as
    /// peerjs-server writes it and the client reads it (<c>peer-unavailable</c>, "Could not connect to peer src").
    /// </summary>
    public static byte[] Expire(string absent, string sender) => Write(new PeerJsServerMessage(PeerJsMessageType.Expire, absent, sender));

    /// <summary>To <paramref name="sender"/>: <paramref name="gone"/> could not be written to; its connections are over.</summary>
    public static byte[] Leave(string gone, string sender) => Write(new PeerJsServerMessage(PeerJsMessageType.Leave, gone, sender));

    /// <summary>A relayed message, <c>src</c> stamped by the server: <c>{type, src, dst, payload}</c>, as peerjs-server forwards.</summary>
    public static byte[] Relay(string type, string src, string dst, JsonElement? payload) =>
        Write(new PeerJsServerMessage(type, src, dst, payload));

    /// <summary>The ids of <c>GET /peers</c>.</summary>
    public static byte[] Ids(string[] ids) => JsonSerializer.SerializeToUtf8Bytes(ids, PeerJsJsonContext.Default.StringArray);

    /// <summary>
    /// Reads one client message: a JSON object whose <c>type</c> is a string and whose <c>dst</c>, if present, is one.
    /// False for anything else (not JSON, nested past 32 levels, wrong types), never an exception.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> utf8Json, out PeerJsClientMessage message)
    {
        message = null!;
        try
        {
            // A JsonElement read by the serializer owns a copy of its bytes: the payload outlives the receive buffer.
            if (JsonSerializer.Deserialize(utf8Json, PeerJsJsonContext.Default.PeerJsClientMessage) is not { Type: not null } read)
            {
                return false;
            }

            message = read;
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static JsonElement MessagePayload(string text) =>
        JsonSerializer.SerializeToElement(new PeerJsMessagePayload(text), PeerJsJsonContext.Default.PeerJsMessagePayload);

    private static byte[] Write(PeerJsServerMessage message) =>
        JsonSerializer.SerializeToUtf8Bytes(message, PeerJsJsonContext.Default.PeerJsServerMessage);
}
