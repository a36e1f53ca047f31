namespace Parley.Stun;

/// <summary>
/// Something that writes itself into a message being built (pion/stun's <c>Setter</c>): an attribute, or
/// an integrity/fingerprint step. A message is built from a list of setters, in order.
/// </summary>
public interface IStunSetter
{
    /// <summary>
    /// Appends to <paramref name="writer"/>. On failure returns false and records the error in the writer
    /// (<see cref="StunMessageWriter.Error"/>); the writer then refuses further attributes.
    /// </summary>
    bool TryAddTo(ref StunMessageWriter writer);
}

/// <summary>
/// An attribute that reads itself out of a parsed message (pion/stun's <c>Getter</c>).
/// </summary>
/// <typeparam name="TSelf">The attribute type.</typeparam>
public interface IStunGetter<TSelf>
    where TSelf : IStunGetter<TSelf>, allows ref struct
{
    /// <summary>
    /// Reads the first occurrence from <paramref name="message"/>. Returns false with
    /// <see cref="StunErrorKind.AttributeNotFound"/> when absent, or the specific error when malformed.
    /// Never throws.
    /// </summary>
#pragma warning disable CA1716 // "error" is the parameter name used by every TryX in this library.
    static abstract bool TryGetFrom(scoped in StunMessage message, out TSelf value, out StunError error);
#pragma warning restore CA1716
}
