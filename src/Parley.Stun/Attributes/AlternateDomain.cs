using System.Text;

namespace Parley.Stun.Attributes;

/// <summary>
/// ALTERNATE-DOMAIN: the domain name used to verify ALTERNATE-SERVER over TLS/DTLS. RFC 8489 §14.16:
/// "It MUST be a valid DNS name (including A-labels) of 255 or fewer ASCII characters."
/// </summary>
/// <remarks>
/// <code>
/// |         Type (0x8003)         |            Length             |
/// |                   ASCII DNS name (variable)             ....
/// </code>
/// </remarks>
public readonly record struct AlternateDomain(string Value) : IStunSetter, IStunGetter<AlternateDomain>
{
    private const int MaxLength = 255;

    /// <summary>Parses a value (without the TLV header).</summary>
    public static bool TryParse(ReadOnlySpan<byte> value, out AlternateDomain result, out StunError error)
    {
        result = new AlternateDomain(string.Empty);
        if (value.Length > MaxLength)
        {
            error = new StunError(StunErrorKind.ValueOutOfRange, StunAttributeType.AlternateDomain);
            return false;
        }

        foreach (byte b in value)
        {
            if (b is < 0x21 or > 0x7E)
            {
                error = new StunError(StunErrorKind.InvalidText, StunAttributeType.AlternateDomain);
                return false;
            }
        }

        result = new AlternateDomain(Encoding.ASCII.GetString(value));
        error = default;
        return true;
    }

    /// <inheritdoc />
    public static bool TryGetFrom(scoped in StunMessage message, out AlternateDomain value, out StunError error)
    {
        if (message.TryGetAttribute(StunAttributeType.AlternateDomain, out ReadOnlySpan<byte> raw))
        {
            return TryParse(raw, out value, out error);
        }

        value = new AlternateDomain(string.Empty);
        error = new StunError(StunErrorKind.AttributeNotFound, StunAttributeType.AlternateDomain);
        return false;
    }

    /// <inheritdoc />
    public bool TryAddTo(ref StunMessageWriter writer)
    {
        string text = Value ?? string.Empty;
        if (text.Length > MaxLength || !Ascii.IsValid(text) || text.Any(c => c is < (char)0x21 or > (char)0x7E))
        {
            return writer.Fail(StunErrorKind.ValueOutOfRange, StunAttributeType.AlternateDomain);
        }

        if (!writer.TryReserveAttribute(StunAttributeType.AlternateDomain, text.Length, out Span<byte> value))
        {
            return false;
        }

        Encoding.ASCII.GetBytes(text, value);
        return true;
    }
}
