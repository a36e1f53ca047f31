using System.Buffers.Binary;

namespace Parley.Stun;

/// <summary>
/// Builds a STUN message in a caller-provided buffer without allocating. RFC 8489 §5 and §14.
/// </summary>
/// <remarks>
/// The first failure (buffer too small, a value out of range, an attribute after FINGERPRINT) is
/// recorded in <see cref="Error"/> and every later call is refused, so a chain of <c>Add</c> calls can
/// be checked once at the end. Padding bytes are always written as zero (RFC 8489 §14: "The padding
/// bits MUST be set to zero on sending").
/// </remarks>
public ref struct StunMessageWriter
{
    private readonly Span<byte> _buffer;
    private int _length;
    private StunError _error;
    private bool _sealedByIntegrity;
    private bool _sealedByIntegritySha256;
    private bool _sealedByFingerprint;

    /// <summary>Starts a message: writes the 20-byte header with a zero length.</summary>
    public StunMessageWriter(Span<byte> buffer, StunMessageType type, TransactionId transactionId)
    {
        _buffer = buffer;
        TransactionId = transactionId;
        Type = type;
        if (buffer.Length < StunMessage.HeaderLength)
        {
            _error = new StunError(StunErrorKind.BufferTooSmall);
            return;
        }

        BinaryPrimitives.WriteUInt16BigEndian(buffer, type.Value);
        BinaryPrimitives.WriteUInt16BigEndian(buffer[2..], 0);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[4..], StunMessage.MagicCookie);
        transactionId.WriteTo(buffer[8..]);
        _length = StunMessage.HeaderLength;
    }

    /// <summary>The message type written in the header.</summary>
    public readonly StunMessageType Type { get; }

    /// <summary>The transaction ID written in the header.</summary>
    public readonly TransactionId TransactionId { get; }

    /// <summary>Bytes written so far (header included).</summary>
    public readonly int BytesWritten => _length;

    /// <summary>The message written so far.</summary>
    public readonly ReadOnlySpan<byte> WrittenSpan => _buffer[.._length];

    /// <summary>The first failure, or <see cref="StunError.None"/>.</summary>
    public readonly StunError Error => _error;

    /// <summary>Whether a call failed.</summary>
    public readonly bool HasFailed => _error.IsError;

    /// <summary>The magic cookie and transaction ID as written (the XOR key for address attributes).</summary>
    internal readonly ReadOnlySpan<byte> XorKey => _buffer.Slice(4, 16);

    /// <summary>Adds one setter (generic, so struct setters are not boxed).</summary>
    public bool Add<T>(in T setter)
        where T : IStunSetter, allows ref struct
        => !HasFailed && setter.TryAddTo(ref this);

    /// <summary>Adds setters in order; stops at the first failure.</summary>
    public bool AddRange(params ReadOnlySpan<IStunSetter> setters)
    {
        foreach (IStunSetter setter in setters)
        {
            if (!Add(setter))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Appends an attribute with the given value (any type, for attributes this library lacks).</summary>
    public bool TryAddAttribute(StunAttributeType type, scoped ReadOnlySpan<byte> value)
    {
        if (!TryReserveAttribute(type, value.Length, out Span<byte> destination))
        {
            return false;
        }

        value.CopyTo(destination);
        return true;
    }

    /// <summary>
    /// Appends an attribute header and returns its zeroed value span (padding zeroed too) to fill in.
    /// </summary>
    public bool TryReserveAttribute(StunAttributeType type, int valueLength, out Span<byte> value)
    {
        value = default;
        if (HasFailed)
        {
            return false;
        }

        // Receivers ignore what follows MESSAGE-INTEGRITY (RFC 8489 §14.5) and nothing may follow
        // FINGERPRINT (§14.7): refuse to write what would be ignored or rejected.
        bool allowed = type switch
        {
            _ when _sealedByFingerprint => false,
            StunAttributeType.Fingerprint => true,
            StunAttributeType.MessageIntegritySha256 => !_sealedByIntegritySha256,
            StunAttributeType.MessageIntegrity => !_sealedByIntegrity && !_sealedByIntegritySha256,
            _ => !_sealedByIntegrity && !_sealedByIntegritySha256,
        };
        if (!allowed)
        {
            return Fail(StunErrorKind.MisplacedAttribute, type);
        }

        if ((uint)valueLength > ushort.MaxValue)
        {
            return Fail(StunErrorKind.ValueOutOfRange, type);
        }

        int padded = (valueLength + 3) & ~3;
        int total = _length + 4 + padded;
        if (total - StunMessage.HeaderLength > ushort.MaxValue || total > _buffer.Length)
        {
            return Fail(StunErrorKind.BufferTooSmall, type);
        }

        BinaryPrimitives.WriteUInt16BigEndian(_buffer[_length..], (ushort)type);
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[(_length + 2)..], (ushort)valueLength);
        Span<byte> slot = _buffer.Slice(_length + 4, padded);
        slot.Clear();
        value = slot[..valueLength];
        _length = total;
        SetHeaderLength(_length - StunMessage.HeaderLength);
        switch (type)
        {
            case StunAttributeType.Fingerprint:
                _sealedByFingerprint = true;
                break;
            case StunAttributeType.MessageIntegrity:
                _sealedByIntegrity = true;
                break;
            case StunAttributeType.MessageIntegritySha256:
                _sealedByIntegritySha256 = true;
                break;
        }

        return true;
    }

    /// <summary>Records a failure (for setters validating their own values) and returns false.</summary>
    public bool Fail(StunErrorKind kind, StunAttributeType attribute = 0)
    {
        if (!HasFailed)
        {
            _error = new StunError(kind, attribute);
        }

        return false;
    }

    /// <summary>The buffer from the start of the message up to <paramref name="end"/> (for integrity computations).</summary>
    internal readonly Span<byte> Prefix(int end) => _buffer[..end];

    private readonly void SetHeaderLength(int length) =>
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[2..], (ushort)length);
}
