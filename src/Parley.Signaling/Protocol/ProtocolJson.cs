
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

    /// <summary>
    /// Reads the top-level <c>type</c> of a frame. The frame must be one JSON object; the rest of it is
    /// checked when the message itself is read.
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

            string? found = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isType = reader.ValueTextEquals("type"u8);
                reader.Read();
                if (isType && found is null && reader.TokenType == JsonTokenType.String)
                {
                    found = reader.GetString();
                }

                reader.Skip();
            }

            // Reading on past the closing brace makes the reader reject trailing content.
            if (reader.Read())
            {
                error = ProtocolError.MalformedJson("expected exactly one object.");
                return false;
            }

            if (string.IsNullOrEmpty(found))
            {
                error = new ProtocolError(ErrorCode.UnknownType, "The message has no string 'type'.");
                return false;
            }

            type = found;
            error = default;
            return true;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: a string with invalid UTF-8 inside (RFC 8259 §8.1).
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
