namespace Parley.Scale.Store;

/// <summary>
/// The Lua scripts that decide what one node's view must not: who serves a room, and whether it has a seat. Each runs
/// atomically in Redis and touches only the keys it is given (one hash slot), as Redis Cluster requires.
/// </summary>
internal static class Scripts
{
    /// <summary>
    /// KEYS[1] the room's owner key; ARGV me, lease ms, a node known dead (or ""). Takes the room when nobody serves
    /// it, it is ours already, or its owner is dead; returns the owner.
    /// </summary>
    public const string Place = """
        local owner = redis.call('GET', KEYS[1])
        if (not owner) or owner == ARGV[1] or owner == ARGV[3] then
          redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
          return ARGV[1]
        end
        return owner
        """;

    /// <summary>
    /// KEYS[1] seats; ARGV participant id, capacity, the seat's lapse time (ms), now (ms), key lifetime (ms). Drops
    /// lapsed seats, keeps (and renews) one the participant holds, else takes one if fewer than capacity are taken.
    /// 1 taken, 0 full.
    /// </summary>
    public const string TakeSeat = """
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[4])
        if (not redis.call('ZSCORE', KEYS[1], ARGV[1])) and redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then
          return 0
        end
        redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
        redis.call('PEXPIRE', KEYS[1], ARGV[5])
        return 1
        """;

    /// <summary>KEYS[1] owner, KEYS[2] seats; ARGV me, participant id. Gives a seat back, only while we serve the room.</summary>
    public const string ReleaseSeat = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then
          return redis.call('ZREM', KEYS[2], ARGV[2])
        end
        return 0
        """;

    /// <summary>
    /// KEYS[1] owner, KEYS[2] seats; ARGV me, lease ms, seat lapse time (ms), key lifetime (ms), participant ids...
    /// A heartbeat for one room we serve: renews the lease and the seats of everyone in it, writing them again if Redis
    /// lost them (a restart with no data). 0 when another node serves it now.
    /// </summary>
    public const string RenewRoom = """
        local owner = redis.call('GET', KEYS[1])
        if owner and owner ~= ARGV[1] then
          return 0
        end
        redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
        for i = 5, #ARGV do
          redis.call('ZADD', KEYS[2], ARGV[3], ARGV[i])
        end
        if #ARGV >= 5 then
          redis.call('PEXPIRE', KEYS[2], ARGV[4])
        end
        return 1
        """;

    /// <summary>
    /// KEYS[1] our node key, KEYS[2] the node set; ARGV me, timeout ms, deadline (ms). Writes our heartbeat; returns 1
    /// if our key was still there, 0 if Redis lost it (it restarted with no data, or we were too late).
    /// </summary>
    public const string Heartbeat = """
        local existed = redis.call('EXISTS', KEYS[1])
        redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
        redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
        return existed
        """;

    /// <summary>KEYS[1] owner; ARGV me. Lets the room go at shutdown, so the next node a client reaches takes it at once.</summary>
    public const string Release = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then
          return redis.call('DEL', KEYS[1])
        end
        return 0
        """;
}
