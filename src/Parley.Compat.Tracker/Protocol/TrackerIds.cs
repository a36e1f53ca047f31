using System.Text.Json;

namespace Parley.Compat.Tracker.Protocol;

/// <summary>
/// The ids of the WebTorrent tracker protocol: <c>info_hash</c>, <c>peer_id</c>, <c>to_peer_id</c> and <c>offer_id</c>
/// are 20-byte values sent as JSON strings of 20 characters, one per byte (bittorrent-tracker's
/// <c>lib/server/parse-websocket.js</c> reads them with <c>Buffer.from(s, 'binary')</c>). Trystero's are 20 characters of
/// <c>[0-9a-z]</c>; bittorrent-tracker's client sends raw bytes as latin1. Kept as received and echoed back unchanged.
/// </summary>
internal static class TrackerIds
{
    /// <summary>Characters in every id.</summary>
    public const int Length = 20;

    /// <summary>
    /// True when <paramref name="element"/> is a string of exactly 20 characters, each one byte (U+0000-U+00FF).
    /// The reference checks only the length and would fold wider characters into other bytes: two different ids
    /// would then name the same peer there, so they are refused here.
    /// </summary>
    public static bool TryRead(JsonElement element, out string id)
    {
        id = string.Empty;
        if (element.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        // A 20-character id is at most 120 bytes of JSON (\u00XX escapes); anything longer is not one, and is
        // refused before a string is allocated for it.
        if (System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(element).Length > (Length * 6) + 2)
        {
            return false;
        }

        string? text;
        try
        {
            text = element.GetString();
        }
        catch (InvalidOperationException)
        {
            return false; // an escaped lone surrogate
        }

        if (text is not { Length: Length })
        {
            return false;
        }

        foreach (var c in text)
        {
            if (c > '\u00FF')
            {
                return false;
            }
        }

        id = text;
        return true;
    }
}
