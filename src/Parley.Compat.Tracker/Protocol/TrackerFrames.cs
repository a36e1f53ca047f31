using System.Buffers;
using System.Text.Json;

namespace Parley.Compat.Tracker.Protocol;

/// <summary>
/// The JSON text frames the tracker sends, with the fields bittorrent-tracker's server sends (<c>server.js</c>,
/// <c>_onWebSocketRequest</c>). Ids go back as the strings received; offers and answers as the raw JSON received.
/// </summary>
internal static class TrackerFrames
{
    /// <summary><c>{action:"announce", interval, complete, incomplete, info_hash}</c>: the reply to an announce.</summary>
    public static byte[] AnnounceReply(string infoHash, int complete, int incomplete, int intervalSeconds) => Write(writer =>
    {
        writer.WriteString("action", "announce");
        writer.WriteNumber("interval", intervalSeconds);
        writer.WriteNumber("complete", complete);
        writer.WriteNumber("incomplete", incomplete);
        writer.WriteString("info_hash", infoHash);
    });

    /// <summary><c>{action:"announce", offer, offer_id, peer_id:&lt;offerer&gt;, info_hash}</c>, to one other peer of the swarm.</summary>
    public static byte[] Offer(string infoHash, string fromPeerId, string offerId, byte[] offer) =>
        Relayed("offer", infoHash, fromPeerId, offerId, offer);

    /// <summary><c>{action:"announce", answer, offer_id, peer_id:&lt;answerer&gt;, info_hash}</c>, to the offer's sender.</summary>
    public static byte[] Answer(string infoHash, string fromPeerId, string offerId, byte[] answer) =>
        Relayed("answer", infoHash, fromPeerId, offerId, answer);

    /// <summary>
    /// <c>{action:"scrape", files:{&lt;info_hash&gt;:{complete, incomplete, downloaded}}, flags:{min_request_interval}}</c>;
    /// <c>downloaded</c> is <c>complete</c>, as the reference reports it (a tracker that forgets peers cannot count more).
    /// </summary>
    public static byte[] ScrapeReply(IReadOnlyList<(string InfoHash, int Complete, int Incomplete)> files, int intervalSeconds) => Write(writer =>
    {
        writer.WriteString("action", "scrape");
        writer.WriteStartObject("files");
        foreach (var (infoHash, complete, incomplete) in files)
        {
            writer.WriteStartObject(infoHash);
            writer.WriteNumber("complete", complete);
            writer.WriteNumber("incomplete", incomplete);
            writer.WriteNumber("downloaded", complete);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        writer.WriteStartObject("flags");
        writer.WriteNumber("min_request_interval", intervalSeconds);
        writer.WriteEndObject();
    });

    /// <summary><c>{action, "failure reason", info_hash?}</c>: keeps <c>action</c> so the client reports it instead of reconnecting.</summary>
    public static byte[] Failure(TrackerFailure failure) => Write(writer =>
    {
        writer.WriteString("action", failure.Action);
        writer.WriteString("failure reason", failure.Reason);
        if (failure.InfoHash is { } infoHash)
        {
            writer.WriteString("info_hash", infoHash);
        }
    });

    private static byte[] Relayed(string kind, string infoHash, string fromPeerId, string offerId, byte[] description) => Write(writer =>
    {
        writer.WriteString("action", "announce");
        writer.WritePropertyName(kind);
        writer.WriteRawValue(description, skipInputValidation: true); // validated JSON, as the client sent it
        writer.WriteString("offer_id", offerId);
        writer.WriteString("peer_id", fromPeerId);
        writer.WriteString("info_hash", infoHash);
    });

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
