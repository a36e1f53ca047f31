using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Parley.Turn.Relay;

/// <summary>
/// Relayed ports held for a later Allocate: RFC 8656 §7.2, "If the request contains an EVEN-PORT attribute with
/// the R bit set to one, then the server looks for a pair of port numbers N and N+1 on the same IP address, where
/// N is even. Port N is used in the current allocation, while the relayed transport address with port N+1 is
/// assigned a token and reserved for a future allocation. The server MUST hold this reservation for at least 30
/// seconds". A reservation is server-wide (the Allocate that redeems it comes from another 5-tuple), single-use,
/// and tied to the USERNAME that made it. Each one holds a bound socket and one slot of its user's and the
/// server's allocation quota (<see cref="AllocationTable.TryReserve"/>): redeeming it hands both to the new
/// allocation; expiry closes the socket and frees the slot, so reservations are bounded like allocations.
/// </summary>
internal sealed class PortReservations
{
    private readonly AllocationTable _quota;
    private readonly Dictionary<ulong, Reservation> _byToken = [];
    private readonly Lock _lock = new();

    public PortReservations(AllocationTable quota) => _quota = quota;

    /// <summary>How long a reservation is held: the RFC's minimum, 30 s (the sweeper closes it within 5 s after).</summary>
    public static TimeSpan Lifetime => TimeSpan.FromSeconds(30);

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _byToken.Count;
            }
        }
    }

    /// <summary>
    /// Holds <paramref name="relay"/> (not started) for <paramref name="username"/> until <paramref name="expiresAt"/>
    /// and returns its token: 64 random bits, never 0. The caller has taken a quota slot for <paramref name="user"/>.
    /// </summary>
    public ulong Add(IRelaySocket relay, string username, string user, long expiresAt)
    {
        Span<byte> random = stackalloc byte[8];
        lock (_lock)
        {
            ulong token;
            do
            {
                RandomNumberGenerator.Fill(random);
                token = BinaryPrimitives.ReadUInt64BigEndian(random);
            }
            while (token == 0 || _byToken.ContainsKey(token));

            _byToken[token] = new Reservation(relay, username, user, expiresAt);
            return token;
        }
    }

    /// <summary>
    /// Redeems a token: the reserved socket and its quota slot now belong to the caller. False when the token is
    /// unknown, used, expired or another username's (RFC 8656 §7.2: the Allocate then fails with 508); another
    /// username's attempt leaves the reservation to its owner.
    /// </summary>
    public bool TryTake(ulong token, string username, long now, out IRelaySocket relay)
    {
        relay = null!;
        Reservation found;
        lock (_lock)
        {
            if (!_byToken.TryGetValue(token, out found)
                || (found.ExpiresAt > now && !string.Equals(found.Username, username, StringComparison.Ordinal)))
            {
                return false;
            }

            _byToken.Remove(token);
        }

        if (found.ExpiresAt <= now)
        {
            Close(found);
            return false;
        }

        relay = found.Relay;
        return true;
    }

    /// <summary>Closes a reservation the caller made but could not hand out (the allocation failed).</summary>
    public void Cancel(ulong token)
    {
        Reservation found;
        lock (_lock)
        {
            if (!_byToken.Remove(token, out found))
            {
                return;
            }
        }

        Close(found);
    }

    /// <summary>Closes every expired reservation and frees its quota slot; returns how many.</summary>
    public int RemoveExpired(long now) => RemoveWhere(now, all: false, user: null);

    /// <summary>Closes every reservation of one user (removed from its room); returns how many.</summary>
    public int RemoveUser(string user) => RemoveWhere(0, all: false, user);

    /// <summary>Closes every reservation (shutdown).</summary>
    public void Clear() => RemoveWhere(0, all: true, user: null);

    private int RemoveWhere(long now, bool all, string? user)
    {
        List<Reservation>? removed = null;
        lock (_lock)
        {
            foreach (var pair in _byToken)
            {
                if (all || (user is null ? pair.Value.ExpiresAt <= now : string.Equals(pair.Value.User, user, StringComparison.Ordinal)))
                {
                    (removed ??= []).Add(pair.Value);
                    _byToken.Remove(pair.Key);
                }
            }
        }

        foreach (Reservation reservation in removed ?? [])
        {
            Close(reservation);
        }

        return removed?.Count ?? 0;
    }

    private void Close(in Reservation reservation)
    {
        reservation.Relay.Dispose();
        _quota.Release(reservation.User);
    }

    private readonly record struct Reservation(IRelaySocket Relay, string Username, string User, long ExpiresAt);
}
