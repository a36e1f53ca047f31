
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Parley.Signaling.Protocol;

/// <summary>
/// The boundary between untrusted frames and typed messages. Nothing here throws on hostile bytes:
/// every failure becomes a <see cref="ProtocolError"/>.
/// </summary>
public static class ProtocolJson
{
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 16 };

    private static readonly ProtocolError NoType = new(ErrorCode.UnknownType, "The message has no string 'type'.");

    /// <summary>
    /// Reads the top-level <c>type</c> of a frame, which must be a JSON object. Reading stops at the first string
    /// <c>type</c> (clients send it first), so an offer's few KB of SDP are checked once, by its handler, instead of
    /// twice: every handler reads its whole frame (<see cref="TryDeserialize"/>, <see cref="IsOneObject"/>), which
    /// rejects what follows if it is malformed. A frame of an unknown type is <c>unknown-type</c> even then.
    /// </summary>
    public static bool TryReadType(ReadOnlySpan<byte> utf8Json, out string type, out ProtocolError error)
    {
        type = "";
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
                var isType = reader.ValueTextEquals("type"u8);
                reader.Read();
                if (isType && reader.TokenType == JsonTokenType.String)
                {
                    type = reader.GetString()!;
                    error = type.Length > 0 ? default : NoType;
                    return type.Length > 0;
                }

                reader.Skip();
            }

            // Reading on past the closing brace makes the reader reject trailing content.
            error = reader.Read() ? ProtocolError.MalformedJson("expected exactly one object.") : NoType;
            return false;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: a string with invalid UTF-8 inside (RFC 8259 §8.1).
            error = ProtocolError.MalformedJson(ex.Message);
            return false;
        }
    }

    /// <summary>
    /// Whether a frame is exactly one well-formed JSON object, for the messages whose handlers need none of its
    /// fields (<c>leave</c>, <c>pong</c>) and so read no more of it than <see cref="TryReadType"/> did.
    /// </summary>
    public static bool IsOneObject(ReadOnlySpan<byte> utf8Json, out ProtocolError error)
    {
        try
        {
            var reader = new Utf8JsonReader(utf8Json, ReaderOptions);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                error = ProtocolError.MalformedJson("expected an object.");
                return false;
            }

            reader.Skip();
            if (reader.Read())
            {
                error = ProtocolError.MalformedJson("expected exactly one object.");
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

    /// <summary>Reads a whole frame as <typeparamref name="T"/>.</summary>
    public static bool TryDeserialize<T>(ReadOnlySpan<byte> utf8Json, JsonTypeInfo<T> typeInfo, [NotNullWhen(true)] out T? value, out ProtocolError error)
    {
        try
        {
            var result = JsonSerializer.Deserialize(utf8Json, typeInfo);
            if (result is null)
            {
                value = default;
                error = ProtocolError.MalformedJson("expected an object.");
                return false;
            }

            value = result;
            error = default;
            return true;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            value = default;
            error = ProtocolError.MalformedJson(ex.Message);
            return false;
        }
    }

    /// <summary>Serializes a server message once, to be queued for one or many sockets.</summary>
    public static byte[] Serialize<T>(T message, JsonTypeInfo<T> typeInfo) => JsonSerializer.SerializeToUtf8Bytes(message, typeInfo);
}
