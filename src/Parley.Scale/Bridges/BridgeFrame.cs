using System.Buffers.Binary;
using System.Text;

namespace Parley.Scale.Bridges;

/// <summary>What a frame between two nodes carries.</summary>
internal enum BridgeFrameKind : byte
{
    /// <summary>Client node to owner: a new session (<see cref="OpenPayload"/>), with the client's first message.</summary>
    Open = 1,

    /// <summary>Client node to owner: one client message.</summary>
    Message = 2,

    /// <summary>Client node to owner: the client's side ended (flags: close received, left cleanly).</summary>
    Ended = 3,

    /// <summary>Owner to client node: one message for the client.</summary>
    Deliver = 4,

    /// <summary>Owner to client node: close the client with a status (payload: status, reason).</summary>
    Close = 5,

    /// <summary>A node to itself: proves its inbox subscription still delivers.</summary>
    Probe = 6,

    /// <summary>
    /// Owner to client node: one message for the client that introduces room mates (<see cref="Introductions"/>):
    /// where each one is connected, so the client node can relay to it directly.
    /// </summary>
    DeliverIntroducing = 7,

    /// <summary>
    /// Client node to client node, not numbered: an offer, answer or candidate for the client of bridge <c>Id</c>, relayed
    /// without passing through the room's owner (<see cref="RelayPayload"/>).
    /// </summary>
    Relay = 8,

    /// <summary>A node to a room's owner (or to every node): one call of the admin API (<see cref="Admin.AdminCalls"/>); <c>Id</c> names the call.</summary>
    AdminRequest = 9,

    /// <summary>The answer to an <see cref="AdminRequest"/>, to the node that asked.</summary>
    AdminReply = 10,
}

/// <summary>
/// One frame between nodes, over Redis pub/sub: kind (1 byte), flags (1), bridge id (16 ASCII bytes), sequence number
/// (4, big-endian, per bridge and direction, from 1), sent-at Unix milliseconds (8), payload. No I/O; reading never
/// throws, whatever the bytes.
/// </summary>
internal readonly ref struct BridgeFrame
{
    public const int IdLength = 16;
    public const int HeaderLength = 2 + IdLength + 4 + 8;
    public const byte TextFlag = 1;
    public const byte CloseReceivedFlag = 1;
    public const byte LeftCleanlyFlag = 2;

    public BridgeFrameKind Kind { get; init; }

    public byte Flags { get; init; }

    public ReadOnlySpan<byte> Id { get; init; }

    public uint Sequence { get; init; }

    public long SentAtMilliseconds { get; init; }

    public ReadOnlySpan<byte> Payload { get; init; }

    public static bool TryRead(ReadOnlySpan<byte> bytes, out BridgeFrame frame)
    {
        frame = default;
        if (bytes.Length < HeaderLength || bytes[0] is < (byte)BridgeFrameKind.Open or > (byte)BridgeFrameKind.AdminReply)
        {
            return false;
        }

        frame = new BridgeFrame
        {
            Kind = (BridgeFrameKind)bytes[0],
            Flags = bytes[1],
            Id = bytes.Slice(2, IdLength),
            Sequence = BinaryPrimitives.ReadUInt32BigEndian(bytes[(2 + IdLength)..]),
            SentAtMilliseconds = BinaryPrimitives.ReadInt64BigEndian(bytes[(6 + IdLength)..]),
            Payload = bytes[HeaderLength..],
        };
        return true;
    }

    public static byte[] Write(BridgeFrameKind kind, byte flags, string id, uint sequence, long sentAtMilliseconds, ReadOnlySpan<byte> payload)
    {
        var frame = new byte[HeaderLength + payload.Length];
        frame[0] = (byte)kind;
        frame[1] = flags;
        Encoding.ASCII.GetBytes(id.AsSpan(0, IdLength), frame.AsSpan(2, IdLength));
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(2 + IdLength), sequence);
        BinaryPrimitives.WriteInt64BigEndian(frame.AsSpan(6 + IdLength), sentAtMilliseconds);
        payload.CopyTo(frame.AsSpan(HeaderLength));
        return frame;
    }

    /// <summary>A close frame's payload: the RFC 6455 status (2 bytes) and the reason.</summary>
    public static byte[] ClosePayload(int status, string reason)
    {
        var payload = new byte[2 + Encoding.UTF8.GetByteCount(reason)];
        BinaryPrimitives.WriteUInt16BigEndian(payload, (ushort)status);
        Encoding.UTF8.GetBytes(reason, payload.AsSpan(2));
        return payload;
    }

    public static bool TryReadClose(ReadOnlySpan<byte> payload, out int status, out string reason)
    {
        status = 0;
        reason = "";
        if (payload.Length < 2 || payload.Length > 2 + 123) // RFC 6455 §5.5: a close reason fits in 123 bytes
        {
            return false;
        }

        status = BinaryPrimitives.ReadUInt16BigEndian(payload);
        reason = Encoding.UTF8.GetString(payload[2..]);
        return true;
    }
}
