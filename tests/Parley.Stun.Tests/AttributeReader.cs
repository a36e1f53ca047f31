using Parley.Stun.Attributes;

namespace Parley.Stun.Tests;

/// <summary>Reads any typed attribute by its type code, boxing the value (test-only dispatch).</summary>
internal static class AttributeReader
{
    public static bool TryGet(scoped in StunMessage message, StunAttributeType type, out object? value, out StunError error)
    {
        switch (type)
        {
            case StunAttributeType.MappedAddress: return Read<MappedAddress>(message, out value, out error);
            case StunAttributeType.XorMappedAddress: return Read<XorMappedAddress>(message, out value, out error);
            case StunAttributeType.AlternateServer: return Read<AlternateServer>(message, out value, out error);
            case StunAttributeType.XorPeerAddress: return Read<XorPeerAddress>(message, out value, out error);
            case StunAttributeType.XorRelayedAddress: return Read<XorRelayedAddress>(message, out value, out error);
            case StunAttributeType.Username: return Read<Username>(message, out value, out error);
            case StunAttributeType.Realm: return Read<Realm>(message, out value, out error);
            case StunAttributeType.Nonce: return Read<Nonce>(message, out value, out error);
            case StunAttributeType.Software: return Read<Software>(message, out value, out error);
            case StunAttributeType.AlternateDomain: return Read<AlternateDomain>(message, out value, out error);
            case StunAttributeType.ErrorCode: return Read<ErrorCode>(message, out value, out error);
            case StunAttributeType.AddressErrorCode: return Read<AddressErrorCode>(message, out value, out error);
            case StunAttributeType.PasswordAlgorithm: return Read<PasswordAlgorithm>(message, out value, out error);
            case StunAttributeType.PasswordAlgorithms: return Read<PasswordAlgorithms>(message, out value, out error);
            case StunAttributeType.UnknownAttributes: return Read<UnknownAttributes>(message, out value, out error);
            case StunAttributeType.ChannelNumber: return Read<ChannelNumber>(message, out value, out error);
            case StunAttributeType.Lifetime: return Read<Lifetime>(message, out value, out error);
            case StunAttributeType.RequestedAddressFamily: return Read<RequestedAddressFamily>(message, out value, out error);
            case StunAttributeType.AdditionalAddressFamily: return Read<AdditionalAddressFamily>(message, out value, out error);
            case StunAttributeType.EvenPort: return Read<EvenPort>(message, out value, out error);
            case StunAttributeType.RequestedTransport: return Read<RequestedTransport>(message, out value, out error);
            case StunAttributeType.DontFragment: return Read<DontFragment>(message, out value, out error);
            case StunAttributeType.ReservationToken: return Read<ReservationToken>(message, out value, out error);
            case StunAttributeType.Icmp: return Read<Icmp>(message, out value, out error);
            case StunAttributeType.UserHash:
            {
                bool ok = message.TryGet(out UserHash hash, out error);
                value = hash.Value.ToArray();
                return ok;
            }

            case StunAttributeType.Data:
            {
                bool ok = message.TryGet(out Data data, out error);
                value = data.Value.ToArray();
                return ok;
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(type), type, "No typed reader.");
        }
    }

    /// <summary>Every attribute type with a typed reader (everything but the integrity/fingerprint ones).</summary>
    public static readonly StunAttributeType[] ReadableTypes =
    [
        StunAttributeType.MappedAddress, StunAttributeType.XorMappedAddress, StunAttributeType.AlternateServer,
        StunAttributeType.XorPeerAddress, StunAttributeType.XorRelayedAddress, StunAttributeType.Username,
        StunAttributeType.Realm, StunAttributeType.Nonce, StunAttributeType.Software, StunAttributeType.AlternateDomain,
        StunAttributeType.ErrorCode, StunAttributeType.AddressErrorCode, StunAttributeType.PasswordAlgorithm,
        StunAttributeType.PasswordAlgorithms, StunAttributeType.UnknownAttributes, StunAttributeType.ChannelNumber,
        StunAttributeType.Lifetime, StunAttributeType.RequestedAddressFamily, StunAttributeType.AdditionalAddressFamily,
        StunAttributeType.EvenPort, StunAttributeType.RequestedTransport, StunAttributeType.DontFragment,
        StunAttributeType.ReservationToken, StunAttributeType.Icmp, StunAttributeType.UserHash, StunAttributeType.Data,
    ];

    private static bool Read<T>(scoped in StunMessage message, out object? value, out StunError error)
        where T : IStunGetter<T>
    {
        bool ok = message.TryGet(out T typed, out error);
        value = typed;
        return ok;
    }
}
