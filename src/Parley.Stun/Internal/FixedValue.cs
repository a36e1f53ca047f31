namespace Parley.Stun.Internal;

/// <summary>Shared "find the attribute, check its exact length" step for fixed-size attributes.</summary>
internal static class FixedValue
{
    public static bool TryGet(scoped in StunMessage message, StunAttributeType type, int length, out ReadOnlySpan<byte> value,
        out StunError error)
    {
        if (!message.TryGetAttribute(type, out value))
        {
            error = new StunError(StunErrorKind.AttributeNotFound, type);
            return false;
        }

        return CheckLength(value, type, length, out error);
    }

    public static bool CheckLength(ReadOnlySpan<byte> value, StunAttributeType type, int length, out StunError error)
    {
        if (value.Length != length)
        {
            error = new StunError(StunErrorKind.BadAttributeLength, type);
            return false;
        }

        error = default;
        return true;
    }
}
