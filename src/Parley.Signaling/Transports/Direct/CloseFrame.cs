using System.Buffers.Binary;
using System.Net.WebSockets;
using System.Text;
using System.Text.Unicode;

namespace Parley.Signaling.Transports.Direct;

/// <summary>The body of a close frame (RFC 6455 §5.5.1): an optional 2-byte status code, then a UTF-8 reason. No I/O.</summary>
internal static class CloseFrame
{
    /// <summary>A close frame's payload is a control frame's, at most 125 bytes: 2 for the code, 123 for the reason.</summary>
    public const int MaxReasonBytes = FrameHeader.MaxControlPayload - 2;

    /// <summary>
    /// Reads the status a client closed with (null when it gave none); false for a body RFC 6455 forbids: one byte,
    /// a code §7.4 does not allow on the wire, or a reason that is not UTF-8.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> payload, out WebSocketCloseStatus? status)
    {
        status = null;
        if (payload.IsEmpty)
        {
            return true;
        }

        if (payload.Length < 2 || !Utf8.IsValid(payload[2..]))
        {
            return false;
        }

        var code = BinaryPrimitives.ReadUInt16BigEndian(payload);
        status = (WebSocketCloseStatus)code;

        // §7.4.1 and §7.4.2: 1004-1006 and 1015 are never sent, 1016-2999 are for future RFCs, 3000-4999 are free to use.
        return code is (>= 1000 and <= 1003) or (>= 1007 and <= 1014) or (>= 3000 and <= 4999);
    }

    /// <summary>Writes the body for <paramref name="status"/> (none for <see cref="WebSocketCloseStatus.Empty"/>), the reason cut to fit; returns its length.</summary>
    public static int Write(Span<byte> destination, WebSocketCloseStatus status, string reason)
    {
        if (status == WebSocketCloseStatus.Empty)
        {
            return 0; // §7.4.1: 1005 means "no status", and is never put in a frame.
        }

        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)status);
        var length = 2;
        foreach (var rune in reason.EnumerateRunes())
        {
            if (length + rune.Utf8SequenceLength > 2 + MaxReasonBytes)
            {
                break; // Cut between characters, so the reason stays UTF-8.
            }

            length += rune.EncodeToUtf8(destination[length..]);
        }

        return length;
    }
}
