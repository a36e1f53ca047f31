using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Parley.Signaling.Protocol;

/// <summary>
/// <c>offer</c> and <c>answer</c> on the relay's hot path: the SDP (a few KB) is forwarded as the escaped JSON
/// string it arrived as, instead of being unescaped into a string and escaped again. The reader has checked that
/// it is one valid JSON string; the bytes are checked to be UTF-8, so what goes out is valid JSON in a valid text
/// frame (RFC 6455 §8.1). Nothing here throws on hostile bytes.
/// </summary>
public static class DescriptionRelayFrame
{
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 16 };

    /// <summary>
    /// Reads <c>to</c> and where the escaped <c>sdp</c> value lies in <paramref name="utf8Json"/>. A field of the
    /// wrong JSON type is malformed-json, as for every other message; a missing or null one leaves
    /// <paramref name="to"/> null or <paramref name="sdp"/> empty.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> utf8Json, out string? to, out Range sdp, out ProtocolError error)
    {
        to = null;
        sdp = default;
        try
        {
            var reader = new Utf8JsonReader(utf8Json, ReaderOptions);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                error = ProtocolError.MalformedJson("expected an object.");
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isTo = reader.ValueTextEquals("to"u8);
                var isSdp = !isTo && reader.ValueTextEquals("sdp"u8);
                reader.Read();
                if ((isTo || isSdp) && reader.TokenType is not (JsonTokenType.String or JsonTokenType.Null))
                {
                    error = ProtocolError.MalformedJson($"'{(isTo ? "to" : "sdp")}' must be a string.");
                    return false;
                }

                if (isTo)
                {
                    to = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }
                else if (isSdp)
                {
                    // TokenStartIndex is the opening quote; the value runs to just before the closing one.
                    var start = (int)reader.TokenStartIndex + 1;
                    sdp = reader.TokenType == JsonTokenType.String ? new Range(start, start + reader.ValueSpan.Length) : default;
                }

                reader.Skip();
            }

            if (reader.Read())
            {
                error = ProtocolError.MalformedJson("expected exactly one object.");
                return false;
            }

            if (!Utf8.IsValid(utf8Json[sdp]))
            {
                error = ProtocolError.MalformedJson("'sdp' is not valid UTF-8.");
                return false;
            }

            error = default;
            return true;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            error = ProtocolError.MalformedJson(ex.Message);
            return false;
        }
    }

    /// <summary>
    /// What the recipient of an <paramref name="type"/> from <paramref name="senderId"/> receives, unless the sender may
    /// not send it: one that may not publish must not offer to send audio. The server never sees audio, but it sees the
    /// offers and answers that set it up (docs/access.md, "What the server enforces").
    /// </summary>
    public static bool TryWriteFrom(string type, string senderId, bool senderMayPublish, ReadOnlySpan<byte> escapedSdp,
        out byte[] relayed, out ProtocolError error)
    {
        if (!senderMayPublish && SdpAudioDirection.SendsAudio(escapedSdp))
        {
            relayed = [];
            error = new ProtocolError(ErrorCode.Forbidden, $"You may not send audio now: negotiate audio recvonly ({type} not relayed).");
            return false;
        }

        relayed = Write(type, senderId, escapedSdp);
        error = default;
        return true;
    }

    /// <summary>
    /// <paramref name="sdp"/> as the escaped JSON string <see cref="Write"/> takes (a <c>join</c>'s offer arrives
    /// unescaped); false for text no JSON string can hold (a lone UTF-16 surrogate).
    /// </summary>
    public static bool TryEscape(string sdp, out byte[] escapedSdp)
    {
        try
        {
            escapedSdp = JsonEncodedText.Encode(sdp).EncodedUtf8Bytes.ToArray();
            return true;
        }
        catch (ArgumentException)
        {
            escapedSdp = [];
            return false;
        }
    }

    /// <summary>
    /// <c>{"type":TYPE,"from":FROM,"sdp":SDP}</c>, with <paramref name="escapedSdp"/> copied as is.
    /// <paramref name="type"/> and <paramref name="fromId"/> are the server's own ASCII (a message type, a participant id).
    /// </summary>
    public static byte[] Write(string type, string fromId, ReadOnlySpan<byte> escapedSdp)
    {
        ReadOnlySpan<byte> typeOpen = "{\"type\":\""u8;
        ReadOnlySpan<byte> fromOpen = "\",\"from\":\""u8;
        ReadOnlySpan<byte> sdpOpen = "\",\"sdp\":\""u8;
        ReadOnlySpan<byte> close = "\"}"u8;
        var frame = new byte[typeOpen.Length + type.Length + fromOpen.Length + fromId.Length + sdpOpen.Length + escapedSdp.Length + close.Length];
        var span = frame.AsSpan();
        typeOpen.CopyTo(span);
        span = span[typeOpen.Length..];
        span = span[Encoding.ASCII.GetBytes(type, span)..];
        fromOpen.CopyTo(span);
        span = span[fromOpen.Length..];
        span = span[Encoding.ASCII.GetBytes(fromId, span)..];
        sdpOpen.CopyTo(span);
        span = span[sdpOpen.Length..];
        escapedSdp.CopyTo(span);
        close.CopyTo(span[escapedSdp.Length..]);
        return frame;
    }
}
