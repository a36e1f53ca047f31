using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace Parley.Compat.LiveKit.Twirp;

/// <summary>
/// A Twirp JSON request body read as protojson readers do: each field under its lowerCamel name or its proto
/// (snake_case) name, a missing field as its default, numbers as JSON numbers or strings, bytes as standard or
/// URL-safe base64. A field of the wrong type throws <see cref="TwirpRequestException"/> (answered <c>malformed</c>).
/// </summary>
internal readonly struct TwirpRequest(JsonElement root)
{
    /// <summary>Parses a body; false for anything but a JSON object (an empty body is <c>{}</c>).</summary>
    public static bool TryParse(ReadOnlyMemory<byte> body, out TwirpRequest request, out JsonDocument? document)
    {
        request = default;
        document = null;
        if (body.IsEmpty)
        {
            body = "{}"u8.ToArray();
        }

        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException)
        {
            return false;
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            document = null;
            return false;
        }

        request = new TwirpRequest(document.RootElement);
        return true;
    }

    public string String(string name) => Find(name) is { } value
        ? value.ValueKind == JsonValueKind.String ? value.GetString()! : throw Wrong(name, "a string")
        : "";

    public bool Bool(string name) => Find(name) is { } value
        ? value.ValueKind switch { JsonValueKind.True => true, JsonValueKind.False => false, _ => throw Wrong(name, "true or false") }
        : false;

    /// <summary>A uint32 field; null when absent (0 in proto3, which callers treat as "not given").</summary>
    public int? UInt32(string name)
    {
        if (Find(name) is not { } value)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) && number >= 0)
        {
            return number;
        }

        if (value.ValueKind == JsonValueKind.String && int.TryParse(value.GetString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out number))
        {
            return number;
        }

        throw Wrong(name, "a number from 0 to 2147483647");
    }

    public IReadOnlyList<string> Strings(string name)
    {
        if (Find(name) is not { } value)
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw Wrong(name, "a list of strings");
        }

        var items = new List<string>(value.GetArrayLength());
        foreach (var item in value.EnumerateArray())
        {
            items.Add(item.ValueKind == JsonValueKind.String ? item.GetString()! : throw Wrong(name, "a list of strings"));
        }

        return items;
    }

    public byte[] Bytes(string name)
    {
        var text = String(name);
        var buffer = new byte[Base64.GetMaxDecodedFromUtf8Length(text.Length)];
        if (Convert.TryFromBase64String(text, buffer, out var written))
        {
            return buffer[..written];
        }

        try
        {
            return Base64Url.DecodeFromChars(text.TrimEnd('='));
        }
        catch (FormatException)
        {
            throw Wrong(name, "base64");
        }
    }

    /// <summary>A message field; null when absent.</summary>
    public TwirpRequest? Message(string name) => Find(name) is { } value
        ? value.ValueKind == JsonValueKind.Object ? new TwirpRequest(value) : throw Wrong(name, "an object")
        : null;

    /// <summary>The field under its JSON name or its proto name; a JSON null counts as absent, as in protojson.</summary>
    private JsonElement? Find(string jsonName)
    {
        if ((root.TryGetProperty(jsonName, out var value) || root.TryGetProperty(ProtoName(jsonName), out value))
            && value.ValueKind != JsonValueKind.Null)
        {
            return value;
        }

        return null;
    }

    /// <summary><c>destinationIdentities</c> to <c>destination_identities</c>.</summary>
    private static string ProtoName(string jsonName)
    {
        var name = new StringBuilder(jsonName.Length + 4);
        foreach (var c in jsonName)
        {
            if (char.IsAsciiLetterUpper(c))
            {
                name.Append('_').Append(char.ToLowerInvariant(c));
            }
            else
            {
                name.Append(c);
            }
        }

        return name.ToString();
    }

    private static TwirpRequestException Wrong(string name, string expected) => new($"{name} must be {expected}.");
}

/// <summary>A request field of the wrong type.</summary>
internal sealed class TwirpRequestException(string message) : Exception(message);
