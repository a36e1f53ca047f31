using Parley.Stun.Internal;

namespace Parley.Stun;

public readonly ref partial struct StunMessage
{
    /// <summary>The attribute at <paramref name="index"/> (0 ≤ index &lt; <see cref="AttributeCount"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The index is out of range.</exception>
    public StunTlv this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, _count);
            AttributeEntry entry = _attributes[index];
            return new StunTlv(entry.Type, Raw.Slice(entry.ValueOffset, entry.Length));
        }
    }

    /// <summary>Whether the message carries an attribute of this type.</summary>
    public bool Contains(StunAttributeType type) => IndexOf(type) >= 0;

    /// <summary>
    /// The value of the first attribute of this type. RFC 8489 §14: "only the first occurrence needs to be
    /// processed by a receiver, and any duplicates MAY be ignored by a receiver."
    /// </summary>
    public bool TryGetAttribute(StunAttributeType type, out ReadOnlySpan<byte> value)
    {
        int index = IndexOf(type);
        if (index < 0)
        {
            value = default;
            return false;
        }

        AttributeEntry entry = _attributes[index];
        value = Raw.Slice(entry.ValueOffset, entry.Length);
        return true;
    }

    /// <summary>Reads a typed attribute (pion's Getter): <c>message.TryGet(out XorPeerAddress peer, out var error)</c>.</summary>
    public bool TryGet<T>(out T value, out StunError error)
        where T : IStunGetter<T>, allows ref struct
        => T.TryGetFrom(this, out value, out error);

    /// <summary>Enumerates every recorded attribute, in order.</summary>
    public Enumerator GetEnumerator() => new(this, 0, matchAll: true);

    /// <summary>Enumerates every occurrence of one attribute type (e.g. all XOR-PEER-ADDRESS in CreatePermission).</summary>
    public Enumerator GetAll(StunAttributeType type) => new(this, type, matchAll: false);

    /// <summary>
    /// Writes the comprehension-required attribute types not accepted by <paramref name="isKnown"/> into
    /// <paramref name="destination"/> (for UNKNOWN-ATTRIBUTES in a 420 response, RFC 8489 §6.3.1) and returns
    /// how many were found (at most destination.Length are written).
    /// </summary>
    public int FindUnknownComprehensionRequired(Span<StunAttributeType> destination, Func<StunAttributeType, bool>? isKnown = null)
    {
        int found = 0;
        for (int i = 0; i < _count; i++)
        {
            StunAttributeType type = _attributes[i].Type;
            if (!type.IsComprehensionRequired() || (isKnown?.Invoke(type) ?? type.IsKnown()))
            {
                continue;
            }

            if (found < destination.Length)
            {
                destination[found] = type;
            }

            found++;
        }

        return found;
    }

    internal int IndexOf(StunAttributeType type)
    {
        for (int i = 0; i < _count; i++)
        {
            if (_attributes[i].Type == type)
            {
                return i;
            }
        }

        return -1;
    }

    internal AttributeEntry EntryAt(int index) => _attributes[index];

    internal int IntegrityIndex => _integrityIndex;

    internal int IntegritySha256Index => _integritySha256Index;

    internal int FingerprintIndex => _fingerprintIndex;

    /// <summary>An allocation-free enumerator over a message's attributes.</summary>
    public ref struct Enumerator
    {
        private readonly StunMessage _message;
        private readonly StunAttributeType _type;
        private readonly bool _matchAll;
        private int _index;

        internal Enumerator(StunMessage message, StunAttributeType type, bool matchAll)
        {
            _message = message;
            _type = type;
            _matchAll = matchAll;
            _index = -1;
        }

        /// <summary>The current attribute.</summary>
        public readonly StunTlv Current => _message[_index];

        /// <summary>Advances to the next (matching) attribute.</summary>
        public bool MoveNext()
        {
            while (++_index < _message.AttributeCount)
            {
                if (_matchAll || _message.EntryAt(_index).Type == _type)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Returns this enumerator (for <c>foreach</c>).</summary>
        public readonly Enumerator GetEnumerator() => this;
    }
}
