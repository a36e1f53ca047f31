using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;

namespace Parley.Stun;

/// <summary>
/// The 96-bit STUN transaction ID. RFC 8489 §5: "The transaction ID MUST be uniformly and randomly
/// chosen from the interval 0 .. 2**96-1 and MUST be cryptographically random."
/// </summary>
public readonly struct TransactionId : IEquatable<TransactionId>
{
    /// <summary>Length of a transaction ID in bytes.</summary>
    public const int Length = 12;

    private readonly ulong _high;
    private readonly uint _low;

    /// <summary>Reads a transaction ID from exactly 12 bytes.</summary>
    /// <exception cref="ArgumentException"><paramref name="bytes"/> is not 12 bytes long.</exception>
    public TransactionId(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length)
        {
            throw new ArgumentException("A transaction ID is 12 bytes.", nameof(bytes));
        }

        _high = BinaryPrimitives.ReadUInt64BigEndian(bytes);
        _low = BinaryPrimitives.ReadUInt32BigEndian(bytes[8..]);
    }

    /// <summary>A new cryptographically random transaction ID.</summary>
    public static TransactionId NewId()
    {
        Span<byte> bytes = stackalloc byte[Length];
        RandomNumberGenerator.Fill(bytes);
        return new TransactionId(bytes);
    }

    /// <summary>Writes the 12 bytes into <paramref name="destination"/>.</summary>
    public void WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, _high);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], _low);
    }

    /// <inheritdoc />
    public bool Equals(TransactionId other) => _high == other._high && _low == other._low;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is TransactionId other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(_high, _low);

    /// <summary>Lowercase hex, 24 characters.</summary>
    public override string ToString() =>
        _high.ToString("x16", CultureInfo.InvariantCulture) + _low.ToString("x8", CultureInfo.InvariantCulture);

    /// <summary>Equality.</summary>
    public static bool operator ==(TransactionId left, TransactionId right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(TransactionId left, TransactionId right) => !left.Equals(right);
}
