namespace Parley.Stun.Attributes;

/// <summary>
/// DATA: application data in Send and Data indications. RFC 8656 §18.4: "The value portion of this attribute
/// is variable length and consists of the application data (that is, the data that would immediately follow
/// the UDP header if the data was sent directly between the client and the peer)."
/// </summary>
/// <remarks>
/// <code>
/// |         Type (0x0013)         |            Length             |
/// |                 Application Data (variable)             ....
/// </code>
/// A view over the message (or caller) bytes: reading a Send indication allocates nothing.
/// </remarks>
public readonly ref struct Data : IStunSetter, IStunGetter<Data>
{
    /// <summary>Wraps application data.</summary>
    public Data(ReadOnlySpan<byte> value) => Value = value;

    /// <summary>The application data.</summary>
    public ReadOnlySpan<byte> Value { get; }

    /// <inheritdoc />
    public static bool TryGetFrom(scoped in StunMessage message, out Data value, out StunError error)
    {
        if (message.TryGetAttribute(StunAttributeType.Data, out ReadOnlySpan<byte> raw))
        {
            value = new Data(raw);
            error = default;
            return true;
        }

        value = default;
        error = new StunError(StunErrorKind.AttributeNotFound, StunAttributeType.Data);
        return false;
    }

    /// <inheritdoc />
    public bool TryAddTo(ref StunMessageWriter writer) => writer.TryAddAttribute(StunAttributeType.Data, Value);
}
