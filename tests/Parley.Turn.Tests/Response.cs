using Parley.Stun;
using Parley.Stun.Attributes;

namespace Parley.Turn.Tests;

/// <summary>A parsed response (copied out of the ref struct).</summary>
internal sealed record Response(byte[] Raw, StunClass Class, StunMethod Method, StunErrorCode? Error, string? Nonce, string? Realm,
    uint? Lifetime, TransportAddress? Relayed, TransportAddress? Mapped, bool HasIntegrity, bool HasIntegritySha256,
    bool HasPasswordAlgorithms, int RelayedCount, bool HasSoftware)
{
    public static Response Parse(byte[] raw)
    {
        if (raw.Length == 0)
        {
            return new Response(raw, (StunClass)(-1), 0, null, null, null, null, null, null, false, false, false, 0, false);
        }

        Assert.True(StunMessage.TryRead(raw, out StunMessage m, out StunError error), error.ToString());
        int relayedCount = 0;
        foreach (StunTlv _ in m.GetAll(StunAttributeType.XorRelayedAddress))
        {
            relayedCount++;
        }

        return new Response(raw, m.Type.Class, m.Type.Method,
            m.TryGet(out ErrorCode code, out _) ? code.Code : null,
            m.TryGet(out Nonce nonce, out _) ? nonce.Value : null,
            m.TryGet(out Realm realm, out _) ? realm.Value : null,
            m.TryGet(out Lifetime lifetime, out _) ? lifetime.Seconds : null,
            m.TryGet(out XorRelayedAddress relayed, out _) ? relayed.Address : null,
            m.TryGet(out XorMappedAddress mapped, out _) ? mapped.Address : null,
            m.HasMessageIntegrity, m.HasMessageIntegritySha256, m.Contains(StunAttributeType.PasswordAlgorithms), relayedCount,
            m.Contains(StunAttributeType.Software));
    }

    public bool IsEmpty => Raw.Length == 0;
}
