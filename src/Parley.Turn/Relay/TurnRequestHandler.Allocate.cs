using Parley.Shared;
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

        // 5. "The server checks if the request contains a RESERVATION-TOKEN attribute. If yes, and the request also
        // contains an EVEN-PORT or REQUESTED-ADDRESS-FAMILY or ADDITIONAL-ADDRESS-FAMILY attribute, the server
        // rejects the request with a 400 (Bad Request) error. Otherwise, it checks to see if the token is valid
        // (i.e., the token is in range and has not expired, and the corresponding relayed transport address is
        // still available). If the token is not valid for some reason, the server rejects the request with a 508
        // (Insufficient Capacity) error." Valid here also means single-use and made by the same USERNAME.
        bool hasToken = request.Contains(StunAttributeType.ReservationToken);
        bool hasFamily = request.Contains(StunAttributeType.RequestedAddressFamily);
        bool hasAdditional = request.Contains(StunAttributeType.AdditionalAddressFamily);
        bool hasEvenPortAttribute = request.Contains(StunAttributeType.EvenPort);
        if (hasToken && (hasFamily || hasAdditional || hasEvenPortAttribute))
        {
            return WriteError(request, response, StunErrorCode.BadRequest, auth);
        }

        if (hasToken)
        {
            return AllocateReserved(request, tuple, transport, auth, response);
        }

        // 6. "The server checks if the request contains an EVEN-PORT attribute with the R bit set to 1. If yes, and
        // the request also contains an ADDITIONAL-ADDRESS-FAMILY attribute, the server rejects the request with a
        // 400 (Bad Request) error. Otherwise, the server checks if it can satisfy the request ... If the server
        // cannot satisfy the request, then the server rejects the request with a 508 (Insufficient Capacity) error."
        bool hasEvenPort = request.TryGet(out EvenPort evenPort, out _);
        if (hasEvenPortAttribute && !hasEvenPort)
        {
            return WriteError(request, response, StunErrorCode.BadRequest, auth);
        }

        bool reserveNext = hasEvenPort && evenPort.ReserveNext;
        if (reserveNext && hasAdditional)
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
        // user or client is not authorized to have any more allocations"; a full server answers 508. A reserved
        // port takes a slot of its own (it is an allocation to be, and a stranger must not hold ports unbounded).
        StunErrorCode quotaError = TakeQuota(auth.User, reserveNext ? 2 : 1);
        if (quotaError != 0)
        {
            return WriteError(request, response, quotaError, auth);
        }

        // 9. relayed transport address(es): 508 (Insufficient Capacity) when no port (or even pair) can be bound.
        IRelaySocket? primary;
        IRelaySocket? reserved = null;
        bool created = reserveNext
            ? _relays.TryCreatePair(family, out primary, out reserved)
            : _relays.TryCreate(family, hasEvenPort, out primary);
        if (!created || primary is null || (reserveNext && reserved is null))
        {
            primary?.Dispose();
            reserved?.Dispose();
            ReleaseQuota(auth.User, reserveNext ? 2 : 1);
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

        // "Port N is used in the current allocation, while the relayed transport address with port N+1 is assigned
        // a token and reserved for a future allocation. The server MUST hold this reservation for at least 30
        // seconds." Its quota slot is the second one taken above.
        ulong token = reserved is null
            ? 0
            : _allocations.Reservations.Add(reserved, auth.Username, auth.User, Now + Ticks(PortReservations.Lifetime));
        return AddAllocation(request, tuple, transport, auth, relays, token, additionalFailed, response);
    }

    /// <summary>
    /// Allocate with a RESERVATION-TOKEN (RFC 8656 §7.2): "If the request contains a RESERVATION-TOKEN, the server
    /// uses the previously reserved transport address corresponding to the included token (if it is still
    /// available). Note that the reservation is a server-wide reservation and is not specific to a particular
    /// allocation, since the Allocate request containing the RESERVATION-TOKEN uses a different 5-tuple than the
    /// Allocate request that made the reservation." The reservation's quota slot becomes the allocation's.
    /// </summary>
    private int AllocateReserved(scoped in StunMessage request, in FiveTuple tuple, IClientTransport transport,
        in AuthResult auth, Span<byte> response)
    {
        if (!request.TryGet(out ReservationToken token, out _))
        {
            return WriteError(request, response, StunErrorCode.BadRequest, auth);
        }

        if (!_allocations.Reservations.TryTake(token.Value, auth.Username, Now, out IRelaySocket reserved))
        {
            return WriteError(request, response, StunErrorCode.InsufficientCapacity, auth);
        }

        return AddAllocation(request, tuple, transport, auth, [reserved], 0, additionalFamilyFailed: false, response);
    }

    /// <summary>
    /// Creates the allocation on relay sockets already bound, with one quota slot taken for it (and one for the
    /// reservation <paramref name="reservationToken"/> if not 0), and answers success.
    /// </summary>
    private int AddAllocation(scoped in StunMessage request, in FiveTuple tuple, IClientTransport transport, in AuthResult auth,
        IRelaySocket[] relays, ulong reservationToken, bool additionalFamilyFailed, Span<byte> response)
    {
        long now = Now;
        long expires = now + Ticks(ComputeAllocateLifetime(request));
        var allocation = new Allocation(tuple, auth.Username, auth.User, request.TransactionId, relays,
            transport.CreateSender(tuple), expires,
            new RateBucket(_options.MaxBandwidthPerAllocation, _options.MaxBandwidthPerAllocation, _time.TimestampFrequency, now),
            new RateBucket(_options.MaxBandwidthPerAllocation, _options.MaxBandwidthPerAllocation, _time.TimestampFrequency, now))
        {
            ReservationToken = reservationToken,
        };
        if (!_allocations.TryAdd(allocation))
        {
            allocation.Dispose();
            _allocations.Release(auth.User);
            _allocations.Reservations.Cancel(reservationToken);
            return WriteError(request, response, StunErrorCode.AllocationMismatch, auth);
        }

        foreach (IRelaySocket relay in relays)
        {
            relay.Start(allocation);
        }

        TurnLog.AllocationCreated(_logger, tuple.Client, relays[0].AdvertisedAddress);
        return WriteAllocateSuccess(request, tuple, allocation, auth, additionalFamilyFailed, response);
    }

    /// <summary>Takes <paramref name="slots"/> quota slots for <paramref name="user"/>, all or none: 486 or 508 if not.</summary>
    /// <summary>
    /// Takes <paramref name="slots"/> quota slots for <paramref name="user"/>, all or none. A refusal leaves a browser
    /// without relay candidates for that peer connection, and nothing else tells anyone, so it is logged (throttled:
    /// a client can hit a quota as often as it likes).
    /// </summary>
    private StunErrorCode TakeQuota(string user, int slots)
    {
        for (int taken = 0; taken < slots; taken++)
        {
            switch (_allocations.TryReserve(user, _maxAllocationsPerUser, _options.MaxAllocations))
            {
                case AllocationTable.Reservation.UserQuota:
                    ReleaseQuota(user, taken);
                    if (_userQuotaWarnings.TryEnter(Now))
                    {
                        TurnLog.UserQuotaReached(_logger, user, _maxAllocationsPerUser);
                    }

                    return StunErrorCode.AllocationQuotaReached;
                case AllocationTable.Reservation.TotalQuota:
                    ReleaseQuota(user, taken);
                    if (_totalQuotaWarnings.TryEnter(Now))
                    {
                        TurnLog.TotalQuotaReached(_logger, _options.MaxAllocations);
                    }

                    return StunErrorCode.InsufficientCapacity;
            }
        }

        return 0;
    }

    private void ReleaseQuota(string user, int slots)
    {
        for (int i = 0; i < slots; i++)
        {
            _allocations.Release(user);
        }
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
        if (allocation.ReservationToken != 0)
        {
            // RFC 8656 §7.3 (EVEN-PORT with R=1): the token of the reserved port N+1.
            writer.Add(new ReservationToken(allocation.ReservationToken));
        }

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
