using Parley.Stun;
using Parley.Stun.Attributes;
using Parley.Turn.Auth;

namespace Parley.Turn.Relay;

internal sealed partial class TurnRequestHandler
{
    /// <summary>Allocate, RFC 8656 §7.2, steps in the RFC's order.</summary>
    private int HandleAllocate(scoped in StunMessage request, in FiveTuple tuple, IClientTransport transport,
        in AuthResult auth, Span<byte> response)
    {
        // 2. "The server checks if the 5-tuple is currently in use by an existing allocation. If yes, the
        // server rejects the request with a 437 (Allocation Mismatch) error." A retransmitted Allocate (same
        // transaction) is answered with the success it already got.
        if (_allocations.TryGet(tuple, Now, out Allocation existing))
        {
            return existing.TransactionId == request.TransactionId
                && string.Equals(existing.Username, auth.Username, StringComparison.Ordinal)
                ? WriteAllocateSuccess(request, tuple, existing, auth, additionalFamilyFailed: false, response)
                : WriteError(request, response, StunErrorCode.AllocationMismatch, auth);
        }

        // 3. "The server checks if the request contains a REQUESTED-TRANSPORT attribute. If the
        // REQUESTED-TRANSPORT attribute is not included or is malformed, the server rejects the request with
        // a 400 (Bad Request) error. Otherwise, if the attribute indicates an unsupported transport protocol,
        // the server rejects the request with a 442 (Unsupported Transport Protocol) error."
        if (!request.TryGet(out RequestedTransport transportAttribute, out _))
        {
            return WriteError(request, response, StunErrorCode.BadRequest, auth);
        }

        if (transportAttribute.Protocol != RequestedTransport.Udp)
        {
            return WriteError(request, response, StunErrorCode.UnsupportedTransportProtocol, auth);
        }

        // 5./6. RESERVATION-TOKEN: this server never reserves ports, so no token is valid (508); it may not be
        // combined with EVEN-PORT or an address family (400).
        bool hasToken = request.Contains(StunAttributeType.ReservationToken);
        bool hasFamily = request.Contains(StunAttributeType.RequestedAddressFamily);
        bool hasAdditional = request.Contains(StunAttributeType.AdditionalAddressFamily);
        bool hasEvenPort = request.TryGet(out EvenPort evenPort, out StunError evenPortError);
        if (hasToken && (hasFamily || hasAdditional || hasEvenPort))
        {
            return WriteError(request, response, StunErrorCode.BadRequest, auth);
        }

        if (hasToken)
        {
            return WriteError(request, response, StunErrorCode.InsufficientCapacity, auth);
        }

        if (!hasEvenPort && evenPortError.Kind != StunErrorKind.AttributeNotFound)
        {
            return WriteError(request, response, StunErrorCode.BadRequest, auth);
        }

        // 7./8. "If the request contains both a REQUESTED-ADDRESS-FAMILY and an ADDITIONAL-ADDRESS-FAMILY
        // attribute, the server rejects the request with a 400"; an unsupported family draws 440.
        if (hasFamily && hasAdditional)
        {
            return WriteError(request, response, StunErrorCode.BadRequest, auth);
        }

        StunAddressFamily family = StunAddressFamily.IPv4;
        if (hasFamily)
        {
            if (!request.TryGet(out RequestedAddressFamily requested, out StunError familyError))
            {
                return WriteError(request, response, familyError.ResponseCode, auth);
            }

            family = requested.Family;
        }

        bool wantAdditional = false;
        if (hasAdditional)
        {
            if (!request.TryGet(out AdditionalAddressFamily _, out _))
            {
                return WriteError(request, response, StunErrorCode.BadRequest, auth);
            }

            wantAdditional = true;
        }

        if (!_relays.Supports(family))
        {
            return WriteError(request, response, StunErrorCode.AddressFamilyNotSupported, auth);
        }

        // 4. quotas: "the server MAY reject the request with a 486 (Allocation Quota Reached) error if the
        // user or client is not authorized to have any more allocations"; a full server answers 508.
        // Either refusal leaves a browser without relay candidates for that peer connection, and nothing else
        // tells anyone, so it is logged (throttled: a client can hit a quota as often as it likes).
        switch (_allocations.TryReserve(auth.User, _maxAllocationsPerUser, _options.MaxAllocations))
        {
            case AllocationTable.Reservation.UserQuota:
                if (_userQuotaWarnings.TryEnter(Now))
                {
                    TurnLog.UserQuotaReached(_logger, auth.User, _maxAllocationsPerUser);
                }

                return WriteError(request, response, StunErrorCode.AllocationQuotaReached, auth);
            case AllocationTable.Reservation.TotalQuota:
                if (_totalQuotaWarnings.TryEnter(Now))
                {
                    TurnLog.TotalQuotaReached(_logger, _options.MaxAllocations);
                }

                return WriteError(request, response, StunErrorCode.InsufficientCapacity, auth);
        }

        // 9. relayed transport address(es): 508 (Insufficient Capacity) when no port can be bound.
        if (!_relays.TryCreate(family, hasEvenPort, out IRelaySocket? primary) || primary is null)
        {
            _allocations.Release(auth.User);
            return WriteError(request, response, StunErrorCode.InsufficientCapacity, auth);
        }

        IRelaySocket[] relays = [primary];
        bool additionalFailed = false;
        if (wantAdditional)
        {
            // RFC 8656 §7.2: if the IPv6 relayed address cannot be had, the allocation succeeds with IPv4 only
            // and the response carries ADDRESS-ERROR-CODE 440.
            if (_relays.Supports(StunAddressFamily.IPv6) && _relays.TryCreate(StunAddressFamily.IPv6, false, out IRelaySocket? second)
                && second is not null)
            {
                relays = [primary, second];
            }
            else
            {
                additionalFailed = true;
            }
        }

        long now = Now;
        long expires = now + Ticks(ComputeAllocateLifetime(request));
        var allocation = new Allocation(tuple, auth.Username, auth.User, request.TransactionId, relays,
            transport.CreateSender(tuple), expires,
            new TokenBucket(_options.MaxBandwidthPerAllocation, _options.MaxBandwidthPerAllocation, _time.TimestampFrequency, now),
            new TokenBucket(_options.MaxBandwidthPerAllocation, _options.MaxBandwidthPerAllocation, _time.TimestampFrequency, now));
        if (!_allocations.TryAdd(allocation))
        {
            allocation.Dispose();
            _allocations.Release(auth.User);
            return WriteError(request, response, StunErrorCode.AllocationMismatch, auth);
        }

        foreach (IRelaySocket relay in relays)
        {
            relay.Start(allocation);
        }

        TurnLog.AllocationCreated(_logger, tuple.Client, primary.AdvertisedAddress);
        return WriteAllocateSuccess(request, tuple, allocation, auth, additionalFailed, response);
    }

    /// <summary>
    /// RFC 8656 §7.2: "If the server receives a LIFETIME attribute in the request, the server computes
    /// min(client's proposed lifetime, server's maximum allowed lifetime). If this computed value is greater
    /// than the default lifetime, then the server uses the computed lifetime ... Otherwise, the server uses
    /// the default lifetime."
    /// </summary>
    private TimeSpan ComputeAllocateLifetime(scoped in StunMessage request)
    {
        if (!request.TryGet(out Lifetime lifetime, out _))
        {
            return _options.DefaultLifetime;
        }

        TimeSpan computed = TimeSpan.FromSeconds(Math.Min(lifetime.Seconds, _options.MaxLifetime.TotalSeconds));
        return computed > _options.DefaultLifetime ? computed : _options.DefaultLifetime;
    }

    private int WriteAllocateSuccess(scoped in StunMessage request, in FiveTuple tuple, Allocation allocation,
        in AuthResult auth, bool additionalFamilyFailed, Span<byte> response)
    {
        // RFC 8656 §7.3: XOR-RELAYED-ADDRESS (one per family), LIFETIME, XOR-MAPPED-ADDRESS.
        var writer = new StunMessageWriter(response, request.Type.ToSuccessResponse(), request.TransactionId);
        foreach (IRelaySocket relay in allocation.Relays)
        {
            writer.Add(new XorRelayedAddress(relay.AdvertisedAddress));
        }

        writer.Add(new Lifetime(RemainingSeconds(allocation)));
        writer.Add(new XorMappedAddress(tuple.Client));
        if (additionalFamilyFailed)
        {
            writer.Add(new AddressErrorCode(StunAddressFamily.IPv6, StunErrorCode.AddressFamilyNotSupported));
        }

        return Finish(ref writer, request, auth);
    }

    private uint RemainingSeconds(Allocation allocation) =>
        (uint)Math.Max(0, Math.Round((double)(allocation.ExpiresAt - Now) / _time.TimestampFrequency));
}
