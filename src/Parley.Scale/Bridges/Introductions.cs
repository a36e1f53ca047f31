using System.Buffers.Binary;
using System.Text;

namespace Parley.Scale.Bridges;

/// <summary>
/// The payload of a <see cref="BridgeFrameKind.DeliverIntroducing"/> frame: the message's length (4 bytes, big-endian),
/// the message, then entries of kind (1), flags (1: may publish 1, hidden 2), and id, node and bridge as a 1-byte length
/// and ASCII each.
/// No I/O; reading never throws, whatever the bytes.
/// </summary>
internal static class Introductions
{
    private const byte MayPublishFlag = 1;
    private const byte HiddenFlag = 2;

    public static byte[] Write(ReadOnlySpan<byte> message, IReadOnlyList<Introduction> entries)
    {
        var length = 4 + message.Length;
        foreach (var entry in entries)
        {
            length += 2 + 3 + entry.Id.Length + entry.Node.Length + entry.Bridge.Length;
        }

        var payload = new byte[length];
        BinaryPrimitives.WriteInt32BigEndian(payload, message.Length);
        message.CopyTo(payload.AsSpan(4));
        var at = 4 + message.Length;
        foreach (var entry in entries)
        {
            payload[at++] = (byte)entry.Kind;
            payload[at++] = (byte)((entry.MayPublish ? MayPublishFlag : 0) | (entry.Hidden ? HiddenFlag : 0));
            at = WriteField(payload, at, entry.Id);
            at = WriteField(payload, at, entry.Node);
            at = WriteField(payload, at, entry.Bridge);
        }

        return payload;
    }

    public static bool TryRead(ReadOnlySpan<byte> payload, out ReadOnlySpan<byte> message, List<Introduction> entries)
    {
        message = default;
        entries.Clear();
        if (payload.Length < 4)
        {
            return false;
        }

        var length = BinaryPrimitives.ReadInt32BigEndian(payload);
        if (length < 0 || length > payload.Length - 4)
        {
            return false;
        }

        message = payload.Slice(4, length);
        var rest = payload[(4 + length)..];
        while (!rest.IsEmpty)
        {
            if (rest.Length < 2 || rest[0] is < (byte)IntroductionKind.Present or > (byte)IntroductionKind.Fresh)
            {
                return false;
            }

            var kind = (IntroductionKind)rest[0];
            var flags = rest[1];
            rest = rest[2..];
            if (!TryReadField(ref rest, out var id) || id.Length == 0 || !TryReadField(ref rest, out var node) || !TryReadField(ref rest, out var bridge)
                || (bridge.Length != 0 && bridge.Length != BridgeFrame.IdLength))
            {
                return false;
            }

            entries.Add(new Introduction(kind, id, node, bridge, (flags & MayPublishFlag) != 0, (flags & HiddenFlag) != 0));
        }

        return true;
    }

    private static int WriteField(byte[] payload, int at, string value)
    {
        // Participant ids, node ids and bridge ids are short ASCII made by the server.
        payload[at] = (byte)value.Length;
        return at + 1 + Encoding.ASCII.GetBytes(value, payload.AsSpan(at + 1));
    }

    private static bool TryReadField(ref ReadOnlySpan<byte> rest, out string value)
    {
        value = "";
        if (rest.IsEmpty || rest.Length < 1 + rest[0])
        {
            return false;
        }

        var field = rest.Slice(1, rest[0]);
        if (!Ascii.IsValid(field))
        {
            return false;
        }

        value = Encoding.ASCII.GetString(field);
        rest = rest[(1 + field.Length)..];
        return true;
    }
}
