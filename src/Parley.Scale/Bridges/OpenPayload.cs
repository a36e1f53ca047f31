using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace Parley.Scale.Bridges;

/// <summary>
/// What an <see cref="BridgeFrameKind.Open"/> frame carries: the client's node (where answers go), where the client came
/// from (address, host, access token: what its own node read from its HTTP request), and its first message. Each string
/// is a 2-byte length and UTF-8; the message is the rest. Reading never throws.
/// </summary>
internal sealed record OpenPayload(string ClientNode, string? RemoteAddress, string? RequestHost, string? AccessToken)
{
    public byte[] Write(ReadOnlySpan<byte> firstMessage)
    {
        string[] fields = [ClientNode, RemoteAddress ?? "", RequestHost ?? "", AccessToken ?? ""];
        var length = firstMessage.Length;
        foreach (var field in fields)
        {
            length += 2 + Encoding.UTF8.GetByteCount(field);
        }

        var payload = new byte[length];
        var at = 0;
        foreach (var field in fields)
        {
            var written = Encoding.UTF8.GetBytes(field, payload.AsSpan(at + 2));
            BinaryPrimitives.WriteUInt16BigEndian(payload.AsSpan(at), (ushort)written);
            at += 2 + written;
        }

        firstMessage.CopyTo(payload.AsSpan(at));
        return payload;
    }

    public static bool TryRead(ReadOnlySpan<byte> payload, out OpenPayload open, out ReadOnlySpan<byte> firstMessage)
    {
        open = null!;
        firstMessage = default;
        var fields = new string[4];
        for (var i = 0; i < fields.Length; i++)
        {
            if (payload.Length < 2)
            {
                return false;
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(payload);
            if (payload.Length < 2 + length)
            {
                return false;
            }

            fields[i] = Encoding.UTF8.GetString(payload.Slice(2, length));
            payload = payload[(2 + length)..];
        }

        if (fields[0].Length == 0 || (fields[1].Length > 0 && !IPAddress.TryParse(fields[1], out _)))
        {
            return false;
        }

        open = new OpenPayload(fields[0], NullIfEmpty(fields[1]), NullIfEmpty(fields[2]), NullIfEmpty(fields[3]));
        firstMessage = payload;
        return true;
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
