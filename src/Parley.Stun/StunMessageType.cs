namespace Parley.Stun;

/// <summary>
/// A STUN message type: a 12-bit method and a 2-bit class interleaved into 14 bits. RFC 8489 §5.
/// </summary>
/// <remarks>
/// <code>
///                     0                 1
///                     2  3  4 5 6 7 8 9 0 1 2 3 4 5
///
///                    +--+--+-+-+-+-+-+-+-+-+-+-+-+-+
///                    |M |M |M|M|M|C|M|M|M|C|M|M|M|M|
///                    |11|10|9|8|7|1|6|5|4|0|3|2|1|0|
///                    +--+--+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </remarks>
public readonly record struct StunMessageType(StunMethod Method, StunClass Class)
{
    /// <summary>Binding request (0x0001).</summary>
    public static StunMessageType BindingRequest => new(StunMethod.Binding, StunClass.Request);

    /// <summary>Binding success response (0x0101).</summary>
    public static StunMessageType BindingSuccess => new(StunMethod.Binding, StunClass.SuccessResponse);

    /// <summary>Encodes the 14-bit type field (the top two bits of the 16-bit word are zero).</summary>
    public ushort Value
    {
        get
        {
            int m = (int)Method & 0x0FFF;
            int c = (int)Class & 0x3;
            return (ushort)((m & 0x000F) | ((c & 0x1) << 4) | ((m & 0x0070) << 1) | ((c & 0x2) << 7) | ((m & 0x0F80) << 2));
        }
    }

    /// <summary>Decodes a 16-bit type field; the top two bits are ignored (the parser rejects them first).</summary>
    public static StunMessageType FromValue(ushort value)
    {
        int m = (value & 0x000F) | ((value >> 1) & 0x0070) | ((value >> 2) & 0x0F80);
        int c = ((value >> 4) & 0x1) | ((value >> 7) & 0x2);
        return new StunMessageType((StunMethod)m, (StunClass)c);
    }

    /// <summary>The success response type for this request's method.</summary>
    public StunMessageType ToSuccessResponse() => new(Method, StunClass.SuccessResponse);

    /// <summary>The error response type for this request's method.</summary>
    public StunMessageType ToErrorResponse() => new(Method, StunClass.ErrorResponse);

    /// <inheritdoc />
    public override string ToString() => $"{Method} {Class}";
}
