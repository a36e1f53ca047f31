using System.Runtime.CompilerServices;

namespace Parley.Stun.Internal;

/// <summary>Where one attribute sits in a message buffer.</summary>
internal readonly record struct AttributeEntry(StunAttributeType Type, ushort Length, int ValueOffset)
{
    /// <summary>Offset of the attribute's 4-byte type/length header.</summary>
    public int HeaderOffset => ValueOffset - 4;
}

/// <summary>A fixed-size table of attribute offsets stored inline in <see cref="StunMessage"/>.</summary>
[InlineArray(StunMessage.MaxAttributes)]
internal struct AttributeTable
{
    private AttributeEntry _element0;
}
