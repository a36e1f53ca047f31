using System.Text;

namespace Parley.Scale.Bridges;

/// <summary>
/// The payload of a <see cref="BridgeFrameKind.Relay"/> frame: the sender's participant id (a 1-byte length and ASCII),
/// then the message its recipient receives. No I/O; reading never throws.
/// </summary>
internal static class RelayPayload
{
    public static byte[] Write(string senderId, ReadOnlySpan<byte> message)
    {
        var payload = new byte[1 + senderId.Length + message.Length];
        payload[0] = (byte)senderId.Length;
        Encoding.ASCII.GetBytes(senderId, payload.AsSpan(1));
        message.CopyTo(payload.AsSpan(1 + senderId.Length));
        return payload;
    }

    public static bool TryRead(ReadOnlySpan<byte> payload, out string senderId, out ReadOnlySpan<byte> message)
    {
        senderId = "";
        message = default;
        if (payload.IsEmpty || payload[0] == 0 || payload.Length < 1 + payload[0] || !Ascii.IsValid(payload.Slice(1, payload[0])))
        {
            return false;
        }

        senderId = Encoding.ASCII.GetString(payload.Slice(1, payload[0]));
        message = payload[(1 + payload[0])..];
        return !message.IsEmpty;
    }
}
