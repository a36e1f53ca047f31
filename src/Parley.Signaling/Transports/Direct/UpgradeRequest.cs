using System.Text;

namespace Parley.Signaling.Transports.Direct;

/// <summary>
/// A WebSocket opening handshake (RFC 6455 §4.2.1) read straight from a connection's first bytes, for
/// <see cref="DirectWebSocketMiddleware"/>. Only the plainest well-formed request is recognised here: anything else
/// (another path, HTTP/1.0, a body, folded or non-ASCII header lines, a missing or repeated header) is not refused
/// but left to Kestrel and the endpoint, which answer it as they always did. No I/O; never throws.
/// </summary>
/// <param name="Host">The <c>Host</c> header as sent (RFC 9112 §3.2).</param>
/// <param name="Query">What follows <c>?</c> in the request target, without it; empty when there is none.</param>
/// <param name="Key">The client's <c>Sec-WebSocket-Key</c>, 24 base64 characters of 16 bytes (RFC 6455 §4.2.1 item 5).</param>
public sealed record UpgradeRequest(string Host, string Query, string Key)
{
    /// <summary>The longest request head read here; a longer one (big cookies) goes to Kestrel, whose limit is 32 KiB.</summary>
    public const int MaxHeadBytes = 8 * 1024;

    private static ReadOnlySpan<byte> HeadEnd => "\r\n\r\n"u8;

    /// <summary>
    /// Whether <paramref name="start"/>, the first bytes of a connection, may still become <c>GET PATH</c> followed by a
    /// space or <c>?</c>: false as soon as a byte differs, so every other request goes to Kestrel without waiting.
    /// </summary>
    public static bool MayBeFor(ReadOnlySpan<byte> start, string path)
    {
        Span<byte> line = stackalloc byte[4 + path.Length + 1];
        "GET "u8.CopyTo(line);
        if (path.Length is 0 || path.Length > 256 || Encoding.ASCII.GetBytes(path, line[4..]) != path.Length)
        {
            return false;
        }

        var known = Math.Min(start.Length, line.Length - 1);
        if (!start[..known].SequenceEqual(line[..known]))
        {
            return false;
        }

        return start.Length < line.Length || start[line.Length - 1] is (byte)' ' or (byte)'?';
    }

    /// <summary>The length of the head (through its blank line), or -1 while it has not all arrived.</summary>
    public static int HeadLength(ReadOnlySpan<byte> bytes)
    {
        var end = bytes.IndexOf(HeadEnd);
        return end < 0 ? -1 : end + HeadEnd.Length;
    }

    /// <summary>
    /// Reads a whole head, <paramref name="head"/> (through its blank line), as a WebSocket upgrade to
    /// <paramref name="path"/>; false for anything else, which the caller leaves to Kestrel.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> head, string path, out UpgradeRequest? request)
    {
        request = null;
        if (head.Length > MaxHeadBytes || HeadLength(head) != head.Length || !MayBeFor(head, path))
        {
            return false;
        }

        // Request line (RFC 9112 §3): GET SP path[?query] SP HTTP/1.1 CRLF. Visible ASCII only in the target.
        var lineEnd = head.IndexOf("\r\n"u8);
        var target = head[4..lineEnd];
        var space = target.IndexOf((byte)' ');
        if (space < 0 || !target[space..].SequenceEqual(" HTTP/1.1"u8) || target[..space].ContainsAnyExceptInRange((byte)0x21, (byte)0x7E))
        {
            return false;
        }

        var query = target[path.Length..space];
        query = query.IsEmpty ? query : query[1..];

        string? host = null, key = null;
        bool upgrade = false, connectionUpgrade = false, version13 = false;
        var headers = head[(lineEnd + 2)..^2];
        while (!headers.IsEmpty)
        {
            var end = headers.IndexOf("\r\n"u8);
            var line = headers[..end];
            headers = headers[(end + 2)..];
            var colon = line.IndexOf((byte)':');

            // A field name is a token with no space before the colon (RFC 9112 §5.1); a line that starts with
            // whitespace is obsolete folding (§5.2). Values of visible ASCII, space and tab only.
            if (colon <= 0 || line[..colon].ContainsAnyExceptInRange((byte)0x21, (byte)0x7E)
                || line[(colon + 1)..].ContainsAnyExcept(FieldValueBytes))
            {
                return false;
            }

            var name = line[..colon];
            var value = line[(colon + 1)..].Trim(" \t"u8);
            if (Is(name, "host"u8))
            {
                if (host is not null || value.IsEmpty)
                {
                    return false;
                }

                host = Encoding.ASCII.GetString(value);
            }
            else if (Is(name, "upgrade"u8))
            {
                // As ASP.NET Core's check: the one value "websocket"; a list goes to Kestrel.
                upgrade = !upgrade && Is(value, "websocket"u8);
                if (!upgrade)
                {
                    return false;
                }
            }
            else if (Is(name, "connection"u8))
            {
                connectionUpgrade |= HasToken(value, "upgrade"u8);
            }
            else if (Is(name, "sec-websocket-version"u8))
            {
                version13 = !version13 && value.SequenceEqual("13"u8);
                if (!version13)
                {
                    return false;
                }
            }
            else if (Is(name, "sec-websocket-key"u8))
            {
                if (key is not null || !IsKey(value))
                {
                    return false;
                }

                key = Encoding.ASCII.GetString(value);
            }
            else if (Is(name, "content-length"u8) ? !value.SequenceEqual("0"u8) : Is(name, "transfer-encoding"u8))
            {
                return false; // A request with a body is not a handshake to take over.
            }
        }

        if (host is null || key is null || !upgrade || !connectionUpgrade || !version13)
        {
            return false;
        }

        request = new UpgradeRequest(host, Encoding.ASCII.GetString(query), key);
        return true;
    }

    /// <summary>HTAB, SP and visible ASCII (RFC 9110 §5.5 without obs-text, which Kestrel decides about).</summary>
    private static readonly System.Buffers.SearchValues<byte> FieldValueBytes =
        System.Buffers.SearchValues.Create([(byte)'\t', .. Enumerable.Range(0x20, 0x7F - 0x20).Select(b => (byte)b)]);

    private static bool Is(ReadOnlySpan<byte> text, ReadOnlySpan<byte> lowerCase) =>
        Ascii.EqualsIgnoreCase(text, lowerCase);

    private static bool HasToken(ReadOnlySpan<byte> list, ReadOnlySpan<byte> token)
    {
        foreach (var range in list.Split((byte)','))
        {
            if (Is(list[range].Trim(" \t"u8), token))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>RFC 6455 §4.2.1 item 5: a base64-encoded 16-byte value.</summary>
    private static bool IsKey(ReadOnlySpan<byte> value)
    {
        Span<byte> decoded = stackalloc byte[18];
        return value.Length == 24
            && System.Buffers.Text.Base64.DecodeFromUtf8(value, decoded, out _, out var written) == System.Buffers.OperationStatus.Done
            && written == 16;
    }
}
