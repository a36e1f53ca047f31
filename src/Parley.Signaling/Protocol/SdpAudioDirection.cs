using System.Text.Json;

namespace Parley.Signaling.Protocol;

/// <summary>
/// Whether a session description offers to send audio: some audio media section (RFC 8866 §5.14 <c>m=audio</c>) whose
/// direction (RFC 8866 §6.7: a media-level attribute, else the session-level one, else <c>sendrecv</c>) is
/// <c>sendrecv</c> or <c>sendonly</c>. A section with port 0 is disabled (RFC 3264 §6) unless it is bundle-only
/// (RFC 8843 §6). Reads the SDP as it arrived, an escaped JSON string; never throws on hostile bytes.
/// </summary>
public static class SdpAudioDirection
{
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 1 };

    /// <param name="escapedSdp">The <c>sdp</c> value's bytes between its quotes, as in the client's frame.</param>
    public static bool SendsAudio(ReadOnlySpan<byte> escapedSdp)
    {
        string sdp;
        try
        {
            var quoted = new byte[escapedSdp.Length + 2];
            quoted[0] = quoted[^1] = (byte)'"';
            escapedSdp.CopyTo(quoted.AsSpan(1));
            var reader = new Utf8JsonReader(quoted, ReaderOptions);
            if (!reader.Read() || reader.TokenType != JsonTokenType.String || reader.GetString() is not { } text)
            {
                return true; // unreadable: treat as sending, so it is refused rather than relayed
            }

            sdp = text;
        }
        catch (JsonException)
        {
            return true;
        }
        catch (InvalidOperationException)
        {
            return true;
        }

        return SendsAudio(sdp);
    }

    public static bool SendsAudio(string sdp)
    {
        string? sessionDirection = null;
        Section? current = null;
        var sends = false;
        foreach (var rawLine in sdp.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            if (line.StartsWith("m=", StringComparison.Ordinal))
            {
                sends |= current?.Sends(sessionDirection) ?? false;
                current = new Section(line);
            }
            else if (Direction(line) is { } direction)
            {
                if (current is null)
                {
                    sessionDirection = direction;
                }
                else
                {
                    current.Direction = direction;
                }
            }
            else if (current is not null && line == "a=bundle-only")
            {
                current.BundleOnly = true;
            }
        }

        return sends || (current?.Sends(sessionDirection) ?? false);
    }

    private static string? Direction(string line) => line switch
    {
        "a=sendrecv" => "sendrecv",
        "a=sendonly" => "sendonly",
        "a=recvonly" => "recvonly",
        "a=inactive" => "inactive",
        _ => null,
    };

    private sealed class Section(string mLine)
    {
        // m=<media> <port> <proto> <fmt> ...
        private readonly string[] fields = mLine[2..].Split(' ', StringSplitOptions.RemoveEmptyEntries);

        public string? Direction { get; set; }

        public bool BundleOnly { get; set; }

        public bool Sends(string? sessionDirection)
        {
            if (fields.Length < 2 || !string.Equals(fields[0], "audio", StringComparison.Ordinal))
            {
                return false;
            }

            if (fields[1] == "0" && !BundleOnly)
            {
                return false;
            }

            return (Direction ?? sessionDirection ?? "sendrecv") is "sendrecv" or "sendonly";
        }
    }
}
