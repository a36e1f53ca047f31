using System.Buffers;

namespace Parley.Stun;

public readonly ref partial struct StunMessage
{
    /// <summary>The largest possible message: 20-byte header plus a 16-bit length of attributes.</summary>
    public const int MaxLength = HeaderLength + ushort.MaxValue;

    /// <summary>
    /// Builds a message from a list of setters into <paramref name="destination"/> (pion's <c>Build</c>).
    /// Ref-struct setters (<see cref="Attributes.Data"/>, <see cref="Attributes.UserHash"/>) are added with
    /// <see cref="StunMessageWriter.Add{T}(in T)"/> instead.
    /// </summary>
    public static bool TryWrite(Span<byte> destination, StunMessageType type, TransactionId transactionId,
        ReadOnlySpan<IStunSetter> setters, out int bytesWritten, out StunError error)
    {
        var writer = new StunMessageWriter(destination, type, transactionId);
        writer.AddRange(setters);
        error = writer.Error;
        bytesWritten = writer.HasFailed ? 0 : writer.BytesWritten;
        return !writer.HasFailed;
    }

    /// <summary>Builds a message from a list of setters into <paramref name="output"/>.</summary>
    public static bool TryWrite(IBufferWriter<byte> output, StunMessageType type, TransactionId transactionId,
        ReadOnlySpan<IStunSetter> setters, out StunError error)
    {
        ArgumentNullException.ThrowIfNull(output);
        const int typicalSize = 1280;
        Span<byte> destination = output.GetSpan(typicalSize);
        if (!TryWrite(destination, type, transactionId, setters, out int written, out error)
            && error.Kind == StunErrorKind.BufferTooSmall && destination.Length < MaxLength)
        {
            destination = output.GetSpan(MaxLength);
            TryWrite(destination, type, transactionId, setters, out written, out error);
        }

        if (error.IsError)
        {
            return false;
        }

        output.Advance(written);
        return true;
    }

    /// <summary>
    /// Builds a message into a new array (convenient off the hot path).
    /// </summary>
    /// <exception cref="ArgumentException">A setter rejected its value (the message names which).</exception>
    public static byte[] Build(StunMessageType type, TransactionId transactionId, params ReadOnlySpan<IStunSetter> setters)
    {
        var output = new ArrayBufferWriter<byte>(256);
        return TryWrite(output, type, transactionId, setters, out StunError error)
            ? output.WrittenSpan.ToArray()
            : throw new ArgumentException($"Cannot build the message: {error}.", nameof(setters));
    }
}
