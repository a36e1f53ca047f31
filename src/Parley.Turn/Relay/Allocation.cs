using Parley.Shared;
using Parley.Stun;

namespace Parley.Turn.Relay;

/// <summary>
/// One allocation: relayed transport address(es), permissions, channel bindings and time to expiry.
/// RFC 8656 §2.2 and §3. Keyed by its <see cref="FiveTuple"/>. Mutations and lookups take the allocation's
/// lock (uncontended in practice: one client loop and one relay loop).
/// </summary>
internal sealed class Allocation
{
    private readonly Lock _lock = new();
    private readonly Dictionary<TransportAddress, long> _permissions = [];
    private readonly Dictionary<ushort, ChannelBinding> _channels = [];
    private readonly Dictionary<TransportAddress, ushort> _channelByPeer = [];
    private RateBucket _toPeer;
    private RateBucket _toClient;

    public Allocation(FiveTuple tuple, string username, string user, TransactionId transactionId,
        IRelaySocket[] relays, IClientSender client, long expiresAt, RateBucket toPeer, RateBucket toClient)
    {
        Tuple = tuple;
        Username = username;
        User = user;
        TransactionId = transactionId;
        Relays = relays;
        Client = client;
        ExpiresAt = expiresAt;
        _toPeer = toPeer;
        _toClient = toClient;
    }

    public FiveTuple Tuple { get; }

    /// <summary>The USERNAME that created the allocation (RFC 8656 §5: later requests must use it, else 441).</summary>
    public string Username { get; }

    /// <summary>The user part of the time-limited username (quota key).</summary>
    public string User { get; }

    /// <summary>The Allocate transaction, to answer retransmissions with success (RFC 8656 §7.2).</summary>
    public TransactionId TransactionId { get; }

    public IRelaySocket[] Relays { get; }

    /// <summary>
    /// The RESERVATION-TOKEN of the port the Allocate reserved (EVEN-PORT with R=1, RFC 8656 §7.2), repeated when a
    /// retransmission is answered; 0 if none.
    /// </summary>
    public ulong ReservationToken { get; init; }

    public IClientSender Client { get; }

    /// <summary>Expiry as a <see cref="TimeProvider"/> timestamp.</summary>
    public long ExpiresAt { get; set; }

    public bool IsDisposed { get; private set; }

    public IRelaySocket? RelayFor(StunAddressFamily family)
    {
        foreach (IRelaySocket relay in Relays)
        {
            if (relay.LocalAddress.Family == family)
            {
                return relay;
            }
        }

        return null;
    }

    public int ChannelCount
    {
        get
        {
            lock (_lock)
            {
                return _channels.Count;
            }
        }
    }

    public int PermissionCount
    {
        get
        {
            lock (_lock)
            {
                return _permissions.Count;
            }
        }
    }

    /// <summary>Installs or refreshes permissions for all <paramref name="peers"/>, or none if over quota.</summary>
    public bool TryAddPermissions(ReadOnlySpan<TransportAddress> peers, long now, long expiresAt, int max)
    {
        lock (_lock)
        {
            PruneExpired(now);
            int added = 0;
            foreach (TransportAddress peer in peers)
            {
                if (!_permissions.ContainsKey(IpOnly(peer)))
                {
                    added++;
                }
            }

            if (_permissions.Count + added > max)
            {
                return false;
            }

            foreach (TransportAddress peer in peers)
            {
                _permissions[IpOnly(peer)] = expiresAt;
            }

            return true;
        }
    }

    /// <summary>RFC 8656 §9: a permission matches on IP address only, port ignored.</summary>
    public bool HasPermission(in TransportAddress peer, long now)
    {
        lock (_lock)
        {
            return _permissions.TryGetValue(IpOnly(peer), out long expires) && expires > now;
        }
    }

    /// <summary>The outcome of a ChannelBind on the allocation's tables.</summary>
    public enum BindResult
    {
        Ok,
        Conflict,
        QuotaReached,
    }

    /// <summary>
    /// RFC 8656 §12.2: binds or refreshes a channel and installs or refreshes the peer's permission.
    /// A channel bound to another peer, or a peer bound to another channel, is a conflict (400).
    /// </summary>
    public BindResult TryBindChannel(ushort channel, in TransportAddress peer, long now, long channelExpiresAt,
        long permissionExpiresAt, int maxChannels, int maxPermissions)
    {
        lock (_lock)
        {
            PruneExpired(now);
            bool channelTaken = _channels.TryGetValue(channel, out ChannelBinding existing);
            bool peerTaken = _channelByPeer.TryGetValue(peer, out ushort existingChannel);
            if ((channelTaken && existing.Peer != peer) || (peerTaken && existingChannel != channel))
            {
                return BindResult.Conflict;
            }

            if (!channelTaken && _channels.Count >= maxChannels)
            {
                return BindResult.QuotaReached;
            }

            TransportAddress ip = IpOnly(peer);
            if (!_permissions.ContainsKey(ip) && _permissions.Count >= maxPermissions)
            {
                return BindResult.QuotaReached;
            }

            _channels[channel] = new ChannelBinding(peer, channelExpiresAt);
            _channelByPeer[peer] = channel;
            _permissions[ip] = Math.Max(permissionExpiresAt, _permissions.GetValueOrDefault(ip));
            return BindResult.Ok;
        }
    }

    /// <summary>The peer bound to a channel, if the binding is live.</summary>
    public bool TryGetChannelPeer(ushort channel, long now, out TransportAddress peer)
    {
        lock (_lock)
        {
            if (_channels.TryGetValue(channel, out ChannelBinding binding) && binding.ExpiresAt > now)
            {
                peer = binding.Peer;
                return true;
            }

            peer = default;
            return false;
        }
    }

    /// <summary>For data from a peer: whether it is permitted and, if so, its live channel (0 if none).</summary>
    public bool TryAcceptFromPeer(in TransportAddress peer, long now, int bytes, out ushort channel)
    {
        lock (_lock)
        {
            channel = 0;
            if (!_permissions.TryGetValue(IpOnly(peer), out long expires) || expires <= now
                || !_toClient.TryTake(bytes, now))
            {
                return false;
            }

            if (_channelByPeer.TryGetValue(peer, out ushort number) && _channels.TryGetValue(number, out ChannelBinding binding)
                && binding.ExpiresAt > now)
            {
                channel = number;
            }

            return true;
        }
    }

    /// <summary>Takes <paramref name="bytes"/> from the client-to-peer bandwidth allowance.</summary>
    public bool TryTakeToPeer(int bytes, long now)
    {
        lock (_lock)
        {
            return _toPeer.TryTake(bytes, now);
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (IsDisposed)
            {
                return;
            }

            IsDisposed = true;
        }

        foreach (IRelaySocket relay in Relays)
        {
            relay.Dispose();
        }
    }

    private void PruneExpired(long now)
    {
        List<TransportAddress>? expired = null;
        foreach (var pair in _permissions)
        {
            if (pair.Value <= now)
            {
                (expired ??= []).Add(pair.Key);
            }
        }

        foreach (TransportAddress key in expired ?? [])
        {
            _permissions.Remove(key);
        }

        List<ushort>? stale = null;
        foreach (var pair in _channels)
        {
            if (pair.Value.ExpiresAt <= now)
            {
                (stale ??= []).Add(pair.Key);
            }
        }

        foreach (ushort number in stale ?? [])
        {
            _channelByPeer.Remove(_channels[number].Peer);
            _channels.Remove(number);
        }
    }

    private static TransportAddress IpOnly(in TransportAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        int length = address.WriteAddressBytes(bytes);
        return TransportAddress.FromBytes(address.Family, bytes[..length], 0);
    }

    private readonly record struct ChannelBinding(TransportAddress Peer, long ExpiresAt);
}
