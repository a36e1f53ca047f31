using Parley.Stun;
using Parley.Stun.Attributes;
using Parley.Turn.Auth;

namespace Parley.Turn.Relay;

internal sealed partial class TurnRequestHandler
{
    /// <summary>Refresh, RFC 8656 §8.2.</summary>
    private int HandleRefresh(scoped in StunMessage request, in FiveTuple tuple, in AuthResult auth, Span<byte> response)
    {
        StunErrorCode error = FindAllocation(tuple, auth, out Allocation allocation);
        if (error != 0)
        {
            return WriteError(request, response, error, auth);
        }

        // "If the server receives a Refresh Request with a REQUESTED-ADDRESS-FAMILY attribute and the attribute
        // value does not match the address family of the allocation, the server MUST reply with a 443 (Peer
        // Address Family Mismatch) error."
        if (request.TryGet(out RequestedAddressFamily family, out _) && allocation.RelayFor(family.Family) is null)
        {
            return WriteError(request, response, StunErrorCode.PeerAddressFamilyMismatch, auth);
        }

        // "If the requested lifetime is zero, then the server MUST immediately delete the allocation";
        // otherwise min(requested, maximum), and the default when no LIFETIME is given.
        TimeSpan lifetime = _options.DefaultLifetime;
        if (request.TryGet(out Lifetime requested, out _))
        {
            lifetime = TimeSpan.FromSeconds(Math.Min(requested.Seconds, _options.MaxLifetime.TotalSeconds));
        }

        if (lifetime == TimeSpan.Zero)
        {
            _allocations.Remove(allocation);
        }
        else
        {
            allocation.ExpiresAt = Now + Ticks(lifetime);
        }

        var writer = new StunMessageWriter(response, request.Type.ToSuccessResponse(), request.TransactionId);
        writer.Add(new Lifetime((uint)lifetime.TotalSeconds));
        return Finish(ref writer, request, auth);
    }
}
