using System.Collections.Concurrent;
using Parley.Stun;

namespace Parley.Turn.Relay;

/// <summary>
/// The live allocations, keyed by 5-tuple, with the per-user and total quotas (RFC 8656 §7.2 486/508), and the
/// relayed ports reserved for later allocations (<see cref="PortReservations"/>), which count against the same quotas.
/// </summary>
internal sealed class AllocationTable
{
    private readonly ConcurrentDictionary<FiveTuple, Allocation> _byTuple = new();

    // Relayed transport addresses of live allocations, both as bound and as advertised: a peer at one of
    // these is another client of this server (relay to relay), which the peer policy alone would refuse as
    // one of the server's own addresses.
    private readonly ConcurrentDictionary<TransportAddress, Allocation> _byRelay = new();
    private readonly Dictionary<string, int> _perUser = new(StringComparer.Ordinal);
    private readonly Lock _quotaLock = new();
    private int _reserved;

    public AllocationTable() => Reservations = new PortReservations(this);

    public int Count => _byTuple.Count;

    /// <summary>The allocations, for the metrics read at a scrape: enumerating the table takes no lock (its Values would take them all).</summary>
    public IEnumerable<Allocation> All => _byTuple.Select(static entry => entry.Value);

    /// <summary>Ports reserved by EVEN-PORT with R=1 (RFC 8656 §7.2); each holds a quota slot of this table.</summary>
    public PortReservations Reservations { get; }

    /// <summary>A live (unexpired, undisposed) allocation for the 5-tuple.</summary>
    public bool TryGet(in FiveTuple tuple, long now, out Allocation allocation)
    {
        if (_byTuple.TryGetValue(tuple, out Allocation? found) && !found.IsDisposed)
        {
            if (found.ExpiresAt > now)
            {
                allocation = found;
                return true;
            }

            Remove(found);
        }

        allocation = null!;
        return false;
    }

    public enum Reservation
    {
        Ok,
        UserQuota,
        TotalQuota,
    }

    /// <summary>Reserves a slot for <paramref name="user"/>; release with <see cref="Release"/> if not used.</summary>
    public Reservation TryReserve(string user, int maxPerUser, int maxTotal)
    {
        lock (_quotaLock)
        {
            int count = _perUser.GetValueOrDefault(user);
            if (count >= maxPerUser)
            {
                return Reservation.UserQuota;
            }

            if (_reserved >= maxTotal)
            {
                return Reservation.TotalQuota;
            }

            _perUser[user] = count + 1;
            _reserved++;
            return Reservation.Ok;
        }
    }

    public void Release(string user)
    {
        lock (_quotaLock)
        {
            int count = _perUser.GetValueOrDefault(user);
            if (count <= 1)
            {
                _perUser.Remove(user);
            }
            else
            {
                _perUser[user] = count - 1;
            }

            _reserved--;
        }
    }

    /// <summary>Adds an allocation whose slot was reserved; false if the 5-tuple is taken.</summary>
    public bool TryAdd(Allocation allocation)
    {
        if (!_byTuple.TryAdd(allocation.Tuple, allocation))
        {
            return false;
        }

        foreach (IRelaySocket relay in allocation.Relays)
        {
            _byRelay[relay.LocalAddress] = allocation;
            _byRelay[relay.AdvertisedAddress] = allocation;
        }

        return true;
    }

    /// <summary>Whether <paramref name="peer"/> is the relayed transport address of a live allocation on this server.</summary>
    public bool IsRelayedAddress(in TransportAddress peer) =>
        _byRelay.TryGetValue(peer, out Allocation? allocation) && !allocation.IsDisposed;

    /// <summary>Whether <paramref name="peer"/>'s IP is the relay IP of a live allocation (permissions are per IP, RFC 8656 §9).</summary>
    public bool IsRelayedIp(in TransportAddress peer)
    {
        foreach (var pair in _byRelay)
        {
            if (!pair.Value.IsDisposed && pair.Key.Family == peer.Family && pair.Key.ToIPAddress().Equals(peer.ToIPAddress()))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Removes and disposes an allocation and frees its quota slot.</summary>
    public void Remove(Allocation allocation)
    {
        if (_byTuple.TryRemove(new KeyValuePair<FiveTuple, Allocation>(allocation.Tuple, allocation)))
        {
            foreach (IRelaySocket relay in allocation.Relays)
            {
                _byRelay.TryRemove(new KeyValuePair<TransportAddress, Allocation>(relay.LocalAddress, allocation));
                _byRelay.TryRemove(new KeyValuePair<TransportAddress, Allocation>(relay.AdvertisedAddress, allocation));
            }

            allocation.Dispose();
            Release(allocation.User);
        }
    }

    /// <summary>Removes every expired allocation and closes every expired reservation; returns how many allocations.</summary>
    public int RemoveExpired(long now)
    {
        Reservations.RemoveExpired(now);
        int removed = 0;
        foreach (var pair in _byTuple)
        {
            if (pair.Value.ExpiresAt <= now)
            {
                Remove(pair.Value);
                removed++;
            }
        }

        return removed;
    }

    /// <summary>Removes every allocation and reservation of one user (a removed participant); returns how many allocations.</summary>
    public int RemoveUser(string user)
    {
        Reservations.RemoveUser(user);
        int removed = 0;
        foreach (var pair in _byTuple)
        {
            if (string.Equals(pair.Value.User, user, StringComparison.Ordinal))
            {
                Remove(pair.Value);
                removed++;
            }
        }

        return removed;
    }

    /// <summary>Removes every allocation of a client connection (a closed TCP connection, RFC 8656 §3.1).</summary>
    public void RemoveTuple(in FiveTuple tuple)
    {
        if (_byTuple.TryGetValue(tuple, out Allocation? allocation))
        {
            Remove(allocation);
        }
    }

    public void Clear()
    {
        Reservations.Clear();
        foreach (var pair in _byTuple)
        {
            Remove(pair.Value);
        }
    }
}
