using System.Text.Json;

namespace Parley.Signaling.Protocol;

/// <summary>
/// <c>candidate</c> on the relay's hot path (two thirds of a call's signaling): the usual shape read in one pass of
/// a <see cref="Utf8JsonReader"/>, instead of deserializing into a <see cref="CandidateRelayRequest"/> whose
/// <see cref="JsonElement"/> is parsed into a document and deserialized a second time. Only what the serializer would
/// read the same way is read here: anything else (a field of another JSON type, a repeated field, no
/// <c>candidate</c> at all, malformed JSON) is left to <see cref="ProtocolJson.TryDeserialize{T}"/>, which answers it
/// as before. Nothing here throws on hostile bytes.
/// </summary>
public static class CandidateRelayFrame
{
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 16 };

    /// <summary>
    /// True when <paramref name="utf8Json"/> is one object read exactly as the serializer reads
    /// <see cref="CandidateRelayRequest"/> and <see cref="IceCandidate"/>: <paramref name="to"/> and
    /// <paramref name="candidate"/> (null for end of candidates) are then what it would give. False: ask the serializer.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> utf8Json, out string? to, out IceCandidate? candidate)
    {
        to = null;
        candidate = null;
        try
        {
            var reader = new Utf8JsonReader(utf8Json, ReaderOptions);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            bool seenTo = false, seenCandidate = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isTo = reader.ValueTextEquals("to"u8);
                var isCandidate = !isTo && reader.ValueTextEquals("candidate"u8);
                reader.Read();
                if (isTo)
                {
                    if (seenTo || !TryReadString(ref reader, out to))
                    {
                        return false;
                    }

                    seenTo = true;
                }
                else if (isCandidate)
                {
                    if (seenCandidate || !TryReadCandidate(ref reader, out candidate))
                    {
                        return false;
                    }

                    seenCandidate = true;
                }
                else
                {
                    reader.Skip();
                }
            }

            // The object ended (a property name is all that may follow '{' or ','), and nothing follows it.
            return seenCandidate && reader.TokenType == JsonTokenType.EndObject && !reader.Read();
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return false;
        }
    }

    private static bool TryReadCandidate(ref Utf8JsonReader reader, out IceCandidate? candidate)
    {
        candidate = null;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        string? line = null, mid = null, fragment = null;
        int? index = null;
        var seen = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = reader.ValueTextEquals("candidate"u8) ? 1
                : reader.ValueTextEquals("sdpMid"u8) ? 2
                : reader.ValueTextEquals("sdpMLineIndex"u8) ? 4
                : reader.ValueTextEquals("usernameFragment"u8) ? 8
                : 0;
            if ((seen & field) != 0)
            {
                return false; // Repeated: the serializer's rule decides.
            }

            seen |= field;
            reader.Read();
            var read = field switch
            {
                1 => TryReadString(ref reader, out line),
                2 => TryReadString(ref reader, out mid),
                4 => TryReadIndex(ref reader, out index),
                8 => TryReadString(ref reader, out fragment),
                _ => reader.TrySkip(),
            };
            if (!read)
            {
                return false;
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject)
        {
            return false;
        }

        candidate = new IceCandidate(line, mid, index, fragment);
        return true;
    }

    private static bool TryReadString(ref Utf8JsonReader reader, out string? value)
    {
        value = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        return reader.TokenType is JsonTokenType.String or JsonTokenType.Null;
    }

    private static bool TryReadIndex(ref Utf8JsonReader reader, out int? value)
    {
        value = null;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }

        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var number))
        {
            value = number;
            return true;
        }

        return false;
    }
}
