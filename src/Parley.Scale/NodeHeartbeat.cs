using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Parley.Scale.Bridges;
using Parley.Scale.Store;
using Parley.Signaling.Rooms;
using Parley.Signaling.Sessions;
using StackExchange.Redis;

namespace Parley.Scale;

/// <summary>
/// Every <see cref="RedisOptions.NodeHeartbeatSeconds"/>: writes this node's heartbeat key; renews the lease and the
/// seats of every room it serves (writing them again if Redis restarted with no data); checks that its inbox
/// subscription still delivers (a probe to itself: subscriptions can die silently after a failover); and checks the
/// nodes it carries sessions for, resetting those of a node whose key expired (twice in a row, so a Redis restart that
/// lost every key is not taken for deaths). Keyspace notifications are not used: they fire when Redis gets round to
/// deleting a key, not when it expires, and only on the node that holds it in a cluster.
/// </summary>
internal sealed class NodeHeartbeat(RedisLink link, NodeInbox inbox, RoomRegistry rooms, SignalingServer server, TimeProvider time,
    ILogger<NodeHeartbeat> logger) : BackgroundService
{
    private readonly Dictionary<string, int> missedBeats = new(StringComparer.Ordinal);
    private bool beatenOnce;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        link.Lost += () => inbox.StopListening("Redis is unreachable");
        await link.ConnectAsync().ConfigureAwait(false);
        try
        {
            await inbox.SubscribeAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            link.MarkUnreachable(ex.Message); // the first heartbeat that reaches Redis subscribes
        }

        await BeatAsync().ConfigureAwait(false);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(link.Options.NodeHeartbeatSeconds), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await BeatAsync().ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Stopping (after signaling sent its clients away): lets this node's rooms go and says it is gone.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var database = link.Database;
            var releases = rooms.All().Select(room => database.ScriptEvaluateAsync(Scripts.Release, [link.Keys.RoomOwner(room.Name)], [link.NodeId]));
            await Task.WhenAll([.. releases, database.KeyDeleteAsync(link.Keys.Node(link.NodeId)),
                database.SortedSetRemoveAsync(link.Keys.Nodes, link.NodeId)]).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or InvalidOperationException)
        {
            // Redis is away: the keys expire by themselves.
        }

        await link.DisposeAsync().ConfigureAwait(false);
    }

    private async Task BeatAsync()
    {
        try
        {
            var database = link.Database;
            var timeout = link.Options.NodeTimeoutSeconds * 1000L;
            var now = link.NowMilliseconds;
            var existed = (long)await database.ScriptEvaluateAsync(Scripts.Heartbeat, [link.Keys.Node(link.NodeId), link.Keys.Nodes],
                [link.NodeId, timeout, now + timeout]).ConfigureAwait(false);
            var wasReachable = link.IsReachable;
            link.MarkReachable();
            var served = rooms.All();
            if (existed == 0 && beatenOnce)
            {
                ScaleLog.Reasserting(logger, served.Count);
            }

            beatenOnce = true;
            if (!wasReachable || now - inbox.LastProbeMilliseconds > 3L * link.Options.NodeHeartbeatSeconds * 1000)
            {
                if (wasReachable)
                {
                    ScaleLog.Resubscribing(logger);
                    inbox.StopListening("this node's inbox stopped delivering");
                }

                await inbox.EnsureListeningAsync().ConfigureAwait(false); // a join may have renewed it since Redis came back
            }

            await Task.WhenAll(served.Select(room => RenewAsync(database, room, now, timeout))).ConfigureAwait(false);
            await inbox.ProbeAsync().ConfigureAwait(false);
            await CheckPeersAsync(database, now).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or InvalidOperationException)
        {
            ScaleLog.HeartbeatFailed(logger, ex.Message);
            link.MarkUnreachable(ex.Message);
        }
    }

    /// <summary>Renews one served room's lease and seats; if another node serves it now, its clients here go there.</summary>
    private async Task RenewAsync(IDatabase database, Room room, long now, long timeout)
    {
        var ids = room.Participants().Select(participant => (RedisValue)participant.Sid);
        var renewed = (long)await database.ScriptEvaluateAsync(Scripts.RenewRoom, [link.Keys.RoomOwner(room.Name), link.Keys.RoomSeats(room.Name)],
            [link.NodeId, timeout, now + timeout, timeout * 2, .. ids]).ConfigureAwait(false);
        if (renewed == 0)
        {
            var owner = (string?)await database.StringGetAsync(link.Keys.RoomOwner(room.Name)).ConfigureAwait(false) ?? "?";
            var connections = room.Connections();
            ScaleLog.RoomLost(logger, room.Name, owner, connections.Count);
            foreach (var connection in connections.OfType<SignalingSession>())
            {
                connection.LoseOwner(server.GoAway);
            }
        }
    }

    /// <summary>Resets the sessions carried for nodes whose heartbeat key is gone (two beats in a row); sweeps the node set.</summary>
    private async Task CheckPeersAsync(IDatabase database, long now)
    {
        foreach (var peer in inbox.PeerNodes())
        {
            if (await database.KeyExistsAsync(link.Keys.Node(peer)).ConfigureAwait(false))
            {
                missedBeats.Remove(peer);
            }
            else if ((missedBeats[peer] = missedBeats.GetValueOrDefault(peer) + 1) >= 2)
            {
                missedBeats.Remove(peer);
                inbox.OnNodeDead(peer);
            }
        }

        await database.SortedSetRemoveRangeByScoreAsync(link.Keys.Nodes, double.NegativeInfinity, now).ConfigureAwait(false);
    }
}
