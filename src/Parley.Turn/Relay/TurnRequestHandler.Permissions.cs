using Parley.Stun;
using Parley.Stun.Attributes;
using Parley.Turn.Auth;

namespace Parley.Turn.Relay;

internal sealed partial class TurnRequestHandler
{
    private const int MaxPeersPerRequest = 16;

    /// <summary>CreatePermission, RFC 8656 §10.2.</summary>
    private int HandleCreatePermission(scoped in StunMessage request, in FiveTuple tuple, in AuthResult auth, Span<byte> response)
    {
        StunErrorCode error = FindAllocation(tuple, auth, out Allocation allocation);
        if (error != 0)
        {
            return WriteError(request, response, error, auth);
        }

        // "When the server receives the CreatePermission request, it processes as per Section 5 plus the
        // specific rules mentioned here. The message is checked for validity. The CreatePermission request
        // MUST contain at least one XOR-PEER-ADDRESS attribute and MAY contain multiple such attributes. If no
        // such attribute exists, or if any of these attributes are invalid, then a 400 (Bad Request) error is
        // returned. If the request is valid, but the server is unable to satisfy the request due to some
        // capacity limit or similar, then a 508 (Insufficient Capacity) error is returned."
        Span<TransportAddress> peers = stackalloc TransportAddress[MaxPeersPerRequest];
        int count = 0;
        foreach (StunTlv attribute in request.GetAll(StunAttributeType.XorPeerAddress))
        {
            if (count == MaxPeersPerRequest)
            {
                return WriteError(request, response, StunErrorCode.InsufficientCapacity, auth);
            }

            if (!XorPeerAddress.TryParse(attribute.Value, request.TransactionId, out XorPeerAddress peer, out _))
            {
                return WriteError(request, response, StunErrorCode.BadRequest, auth);
            }

            peers[count++] = peer.Address;
        }

        if (count == 0)
        {
            return WriteError(request, response, StunErrorCode.BadRequest, auth);
        }

        // "If an XOR-PEER-ADDRESS attribute contains an address of an address family that is not the same as
        // that of a relayed transport address for the allocation, the server MUST generate an error response
        // with the 443 (Peer Address Family Mismatch) response code." The peer policy (403 Forbidden) is checked first, so a denied peer is denied whatever its spelling.
        foreach (TransportAddress peer in peers[..count])
        {
            if (!_policy.IsAllowed(peer) && !_allocations.IsRelayedIp(peer))
            {
                TurnLog.PeerDenied(_logger, tuple.Client, peer);
                return WriteError(request, response, StunErrorCode.Forbidden, auth);
            }

            if (allocation.RelayFor(peer.Family) is null)
            {
                return WriteError(request, response, StunErrorCode.PeerAddressFamilyMismatch, auth);
            }
        }

        // "The server MUST ... install or refresh a permission for each IP address ... all or none."
        long now = Now;
        if (!allocation.TryAddPermissions(peers[..count], now, now + _permissionLifetime, _options.MaxPermissionsPerAllocation))
        {
            return WriteError(request, response, StunErrorCode.InsufficientCapacity, auth);
        }

        var writer = new StunMessageWriter(response, request.Type.ToSuccessResponse(), request.TransactionId);
        return Finish(ref writer, request, auth);
    }

    /// <summary>ChannelBind, RFC 8656 §12.2.</summary>
    private int HandleChannelBind(scoped in StunMessage request, in FiveTuple tuple, in AuthResult auth, Span<byte> response)
    {
        StunErrorCode error = FindAllocation(tuple, auth, out Allocation allocation);
        if (error != 0)
        {
            return WriteError(request, response, error, auth);
        }

        // "The request contains both a CHANNEL-NUMBER and an XOR-PEER-ADDRESS attribute; The channel number is
        // in the range 0x4000 through 0x4FFF (inclusive); ... If any of these tests fail, the server replies
        // with a 400 (Bad Request) error." The range accepted is RFC 5766 §11's 0x4000-0x7FFF (ChannelNumber says
        // why): below 0x4000 or above 0x7FFF is 400.
        if (!request.TryGet(out ChannelNumber channel, out _) || !request.TryGet(out XorPeerAddress peer, out _))
        {
            return WriteError(request, response, StunErrorCode.BadRequest, auth);
        }

        // "The server MAY impose restrictions on the IP address and port values allowed in the
        // XOR-PEER-ADDRESS attribute; if a value is not allowed, the server rejects the request with a 403 (Forbidden) error."
        if (!IsPeerAllowed(peer.Address))
        {
            TurnLog.PeerDenied(_logger, tuple.Client, peer.Address);
            return WriteError(request, response, StunErrorCode.Forbidden, auth);
        }

        if (allocation.RelayFor(peer.Address.Family) is null)
        {
            return WriteError(request, response, StunErrorCode.PeerAddressFamilyMismatch, auth);
        }

        long now = Now;
        switch (allocation.TryBindChannel(channel.Value, peer.Address, now, now + _channelLifetime, now + _permissionLifetime,
                    _options.MaxChannelsPerAllocation, _options.MaxPermissionsPerAllocation))
        {
            case Allocation.BindResult.Conflict:
                // "the channel number is not currently bound to a different transport address (same transport
                // address is OK); the transport address is not currently bound to a different channel number."
                return WriteError(request, response, StunErrorCode.BadRequest, auth);
            case Allocation.BindResult.QuotaReached:
                return WriteError(request, response, StunErrorCode.InsufficientCapacity, auth);
        }

        var writer = new StunMessageWriter(response, request.Type.ToSuccessResponse(), request.TransactionId);
        return Finish(ref writer, request, auth);
    }
}
