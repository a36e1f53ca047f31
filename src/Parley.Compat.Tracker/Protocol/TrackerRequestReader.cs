using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Parley.Compat.Tracker.Protocol;

/// <summary>
/// Reads a tracker client's JSON text frame into a <see cref="TrackerRequest"/>, or the failure to send back. Only the
/// envelope is read: an <c>offer</c> or <c>answer</c> object is kept as its raw JSON, never parsed further or
/// rewritten. Never throws for any input. The checks are bittorrent-tracker's (<c>lib/server/parse-websocket.js</c>,
/// whose failure reasons are reused) plus stricter ones that no real client trips (docs/protocol.md, "WebTorrent tracker").
/// </summary>
internal static class TrackerRequestReader
{
    /// <summary>Nesting a request may have; real ones use 4 (<c>{offers:[{offer:{}}]}</c>). Bounds the parser's work.</summary>
    private const int MaxDepth = 16;

    public static bool TryRead(ReadOnlySpan<byte> utf8Json, int maxOffers, int maxScrapeInfoHashes,
        out TrackerRequest? request, out TrackerFailure failure)
    {
        request = null;
        failure = new("announce", null, "invalid JSON");
        try
        {
            var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = MaxDepth });
            using var document = JsonDocument.ParseValue(ref reader);
            if (reader.Read())
            {
                return false; // JSON.parse refuses a second value too
            }

            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            var action = root.TryGetProperty("action", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null;
            return action switch
            {
                "announce" => TryReadAnnounce(root, maxOffers, out request, out failure),
                "scrape" => TryReadScrape(root, maxScrapeInfoHashes, out request, out failure),
                _ => Fail(new("announce", ReadInfoHash(root), $"invalid action in WS request: {Truncate(action)}"), out request, out failure),
            };
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException)
        {
            // Bad JSON (or too deep); the request's envelope could not be read.
            return false;
        }
    }

    private static bool TryReadAnnounce(JsonElement root, int maxOffers, out TrackerRequest? request, out TrackerFailure failure)
    {
        request = null;
        if (!root.TryGetProperty("info_hash", out var ih) || !TrackerIds.TryRead(ih, out var infoHash))
        {
            return Fail(new("announce", null, "invalid info_hash"), out request, out failure);
        }

        if (!root.TryGetProperty("peer_id", out var pid) || !TrackerIds.TryRead(pid, out var peerId))
        {
            return Fail(new("announce", infoHash, "invalid peer_id"), out request, out failure);
        }

        if (!TryReadEvent(root, out var announceEvent))
        {
            return Fail(new("announce", infoHash, "invalid event"), out request, out failure);
        }

        var offers = new List<RelayedOffer>();
        if (root.TryGetProperty("offers", out var offersElement) && offersElement.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in offersElement.EnumerateArray())
            {
                if (offers.Count == maxOffers)
                {
                    break; // the rest are ignored, as a swarm too small for them would drop them
                }

                if (item.ValueKind != JsonValueKind.Object
                    || !item.TryGetProperty("offer_id", out var oid) || !TrackerIds.TryRead(oid, out var offerId)
                    || !item.TryGetProperty("offer", out var offer) || offer.ValueKind != JsonValueKind.Object)
                {
                    return Fail(new("announce", infoHash, "invalid offers"), out request, out failure);
                }

                offers.Add(new(offerId, JsonMarshal.GetRawUtf8Value(offer).ToArray()));
            }
        }

        RelayedAnswer? answer = null;
        if (root.TryGetProperty("answer", out var answerElement) && IsTruthy(answerElement))
        {
            if (!root.TryGetProperty("to_peer_id", out var to) || !TrackerIds.TryRead(to, out var toPeerId))
            {
                return Fail(new("announce", infoHash, "invalid `to_peer_id` (required with `answer`)"), out request, out failure);
            }

            if (answerElement.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("offer_id", out var oid) || !TrackerIds.TryRead(oid, out var offerId))
            {
                return Fail(new("announce", infoHash, "invalid answer"), out request, out failure);
            }

            answer = new(toPeerId, offerId, JsonMarshal.GetRawUtf8Value(answerElement).ToArray());
        }

        request = new AnnounceRequest(infoHash, peerId, announceEvent, IsLeftZero(root), offers, answer);
        failure = default;
        return true;
    }

    private static bool TryReadScrape(JsonElement root, int maxInfoHashes, out TrackerRequest? request, out TrackerFailure failure)
    {
        request = null;
        var infoHashes = new List<string>();
        if (!root.TryGetProperty("info_hash", out var ih))
        {
            // The reference answers a scrape without info_hash with every swarm it holds: a list of every room in use.
            return Fail(new("scrape", null, "invalid info_hash"), out request, out failure);
        }

        if (ih.ValueKind == JsonValueKind.String)
        {
            if (!TrackerIds.TryRead(ih, out var one))
            {
                return Fail(new("scrape", null, "invalid info_hash"), out request, out failure);
            }

            infoHashes.Add(one);
        }
        else if (ih.ValueKind == JsonValueKind.Array && ih.GetArrayLength() is > 0 and var count && count <= maxInfoHashes)
        {
            foreach (var item in ih.EnumerateArray())
            {
                if (!TrackerIds.TryRead(item, out var infoHash))
                {
                    return Fail(new("scrape", null, "invalid info_hash"), out request, out failure);
                }

                if (!infoHashes.Contains(infoHash, StringComparer.Ordinal))
                {
                    infoHashes.Add(infoHash);
                }
            }
        }
        else
        {
            return Fail(new("scrape", null, $"invalid info_hash (one, or a list of 1 to {maxInfoHashes})"), out request, out failure);
        }

        request = new ScrapeRequest(infoHashes);
        failure = default;
        return true;
    }

    /// <summary>The reference's <c>params.event</c>: a falsy value or <c>empty</c>/<c>paused</c> is an update; other strings are refused.</summary>
    private static bool TryReadEvent(JsonElement root, out AnnounceEvent announceEvent)
    {
        announceEvent = AnnounceEvent.Update;
        if (!root.TryGetProperty("event", out var e) || !IsTruthy(e))
        {
            return true;
        }

        announceEvent = e.ValueKind != JsonValueKind.String ? (AnnounceEvent)(-1) : e.GetString() switch
        {
            "started" => AnnounceEvent.Started,
            "stopped" => AnnounceEvent.Stopped,
            "completed" => AnnounceEvent.Completed,
            "update" or "empty" or "paused" => AnnounceEvent.Update,
            _ => (AnnounceEvent)(-1),
        };
        return Enum.IsDefined(announceEvent);
    }

    /// <summary>JavaScript's <c>Number(left) === 0</c>, which makes the reference count a peer as complete.</summary>
    private static bool IsLeftZero(JsonElement root)
    {
        if (!root.TryGetProperty("left", out var left))
        {
            return false; // Number(undefined) is NaN, read as Infinity
        }

        return left.ValueKind switch
        {
            JsonValueKind.Null or JsonValueKind.False => true, // JSON.stringify(Infinity) is null: bittorrent-tracker's default
            JsonValueKind.Number => left.TryGetDouble(out var n) && n == 0,
            JsonValueKind.String => left.GetString()!.Trim() is var s
                && (s.Length == 0 || (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v == 0)),
            _ => false,
        };
    }

    private static bool IsTruthy(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.False or JsonValueKind.Undefined => false,
        JsonValueKind.String => element.GetString()!.Length > 0,
        JsonValueKind.Number => element.TryGetDouble(out var n) && n != 0,
        _ => true,
    };

    private static string? ReadInfoHash(JsonElement root) =>
        root.TryGetProperty("info_hash", out var ih) && TrackerIds.TryRead(ih, out var infoHash) ? infoHash : null;

    private static bool Fail(TrackerFailure reason, out TrackerRequest? request, out TrackerFailure failure)
    {
        request = null;
        failure = reason;
        return false;
    }

    private static string Truncate(string? text) => text is null ? "undefined" : text.Length <= 32 ? text : string.Concat(text.AsSpan(0, 32), "…");
}
