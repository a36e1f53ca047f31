using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Parley.Scale.Admin;
using Parley.Scale.Store;
using Parley.Signaling.Rooms;
using Parley.Signaling.Sessions;
using StackExchange.Redis;

namespace Parley.Scale.Bridges;

/// <summary>
/// This node's inbox channel and the bridges it carries: frames from other nodes are read one at a time, in the order
/// Redis delivered them, and handed to their bridge; an open frame starts a session here for a client of another node.
/// </summary>
internal sealed class NodeInbox(RedisLink link, IServiceProvider services, ILogger<NodeInbox> logger)
{
    private readonly ConcurrentDictionary<string, BridgeEnd> bridges = new(StringComparer.Ordinal);
    private SignalingServer? server;
    private RoomRegistry? rooms;
    private AdminCalls? admin;
    private readonly Lock subscribeGate = new();
    private ChannelMessageQueue? subscription;
    private Task? subscribing;
    private int listening;
    private long lastProbeMilliseconds;

    public RedisLink Link => link;

    /// <summary>Resolved late: the signaling server depends on the router, which depends on this.</summary>
    private SignalingServer Server => server ??= services.GetRequiredService<SignalingServer>();

    private RoomRegistry Rooms => rooms ??= services.GetRequiredService<RoomRegistry>();

    private AdminCalls Admin => admin ??= services.GetRequiredService<AdminCalls>();

    public byte[] GoAwayFrame => Server.GoAway;

    /// <summary>When this node last heard its own probe: its subscription delivers.</summary>
    public long LastProbeMilliseconds => Volatile.Read(ref lastProbeMilliseconds);

    /// <summary>
    /// Whether Redis confirmed this node's inbox subscription since Redis was last lost (or the subscription found
    /// dead). A session handed to another node needs it: the owner's first frames come back here.
    /// </summary>
    public bool Listening => Volatile.Read(ref listening) == 1;

    /// <summary>Subscribes to this node's inbox anew (dropping the old subscription); one attempt at a time.</summary>
    public Task SubscribeAsync()
    {
        lock (subscribeGate)
        {
            return subscribing is { IsCompleted: false } pending ? pending : subscribing = SubscribeOnceAsync();
        }
    }

    /// <summary>Completes once the inbox listens: at once if it does, else after subscribing anew (throws if Redis cannot).</summary>
    public Task EnsureListeningAsync() => Listening ? Task.CompletedTask : SubscribeAsync();

    /// <summary>
    /// Redis was lost, or the inbox stopped delivering: every carried session is reset, and no new one is handed over
    /// until the inbox is subscribed again (after a Redis restart the client library's own resubscription may come
    /// later than the first commands that work again, and an owner's first frames would find nobody listening).
    /// </summary>
    public void StopListening(string reason)
    {
        Volatile.Write(ref listening, 0);
        ResetAll(reason);
    }

    private async Task SubscribeOnceAsync()
    {
        if (subscription is { } old)
        {
            await old.UnsubscribeAsync().ConfigureAwait(false);
        }

        var queue = await link.Subscriber.SubscribeAsync(link.Keys.Inbox(link.NodeId)).ConfigureAwait(false);
        queue.OnMessage(OnMessage); // one at a time, in order (the queue's handler, not the concurrent callback)
        subscription = queue;
        Volatile.Write(ref lastProbeMilliseconds, link.NowMilliseconds);
        Volatile.Write(ref listening, 1);
    }

    /// <summary>Publishes a probe to this node's own inbox; the heartbeat checks that it came back.</summary>
    public Task ProbeAsync() => link.Subscriber.PublishAsync(link.Keys.Inbox(link.NodeId),
        BridgeFrame.Write(BridgeFrameKind.Probe, 0, new string('0', BridgeFrame.IdLength), 0, link.NowMilliseconds, default));

    /// <summary>Opens a handed-over session at <paramref name="ownerNode"/>; false (and nothing registered) if it did not receive it.</summary>
    public async Task<bool> TryOpenAsync(SignalingSession session, string ownerNode, string room, ReadOnlyMemory<byte> firstMessage)
    {
        var id = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(BridgeFrame.IdLength / 2));
        var bridge = new ClientBridge(id, ownerNode, session, this, Server.Options.MaxQueuedMessages);
        bridges[id] = bridge;
        var origin = session.Origin;
        if (!await bridge.TryOpenAsync(new OpenPayload(link.NodeId, origin.RemoteAddress?.ToString(), origin.RequestHost, origin.AccessToken), firstMessage)
                .ConfigureAwait(false))
        {
            bridges.TryRemove(id, out _);
            return false;
        }

        session.HandOver(bridge);
        ScaleLog.HandedOver(logger, ownerNode, room, id);
        return true;
    }

    public void Remove(BridgeEnd bridge) => bridges.TryRemove(new KeyValuePair<string, BridgeEnd>(bridge.Id, bridge));

    public void LogReset(string id, string reason) => ScaleLog.BridgeReset(logger, id, reason);

    /// <summary>The nodes at the other end of this node's bridges, for the heartbeat to check.</summary>
    public IReadOnlyCollection<string> PeerNodes() => bridges.Values.Select(bridge => bridge.PeerNode).ToHashSet(StringComparer.Ordinal);

    /// <summary>A peer stopped beating: every session carried to or from it is reset.</summary>
    public void OnNodeDead(string node)
    {
        var dead = bridges.Values.Where(bridge => bridge.PeerNode == node).ToList();
        ScaleLog.PeerDead(logger, node, dead.Count);
        foreach (var bridge in dead)
        {
            bridge.Reset($"node {node} died");
        }
    }

    /// <summary>Redis stopped answering: what was in flight may be lost, so every carried session is reset.</summary>
    private void ResetAll(string reason)
    {
        foreach (var bridge in bridges.Values)
        {
            bridge.Reset(reason);
        }
    }

    /// <summary>
    /// Sends a bridge's frame without waiting. With <paramref name="checkDelivery"/>, a failure or nobody listening at
    /// the peer resets the bridge; without, the frame goes fire-and-forget (no reply to complete on another thread).
    /// </summary>
    public void Publish(BridgeEnd bridge, byte[] frame, bool checkDelivery = true)
    {
        Task<long> sent;
        try
        {
            if (!checkDelivery)
            {
                // The async call even without a reply: it queues the frame if another thread is writing, where the
                // synchronous one would wait for the writer, on a socket engine thread with inline scheduling.
                _ = link.Subscriber.PublishAsync(link.Keys.Inbox(bridge.PeerNode), frame, CommandFlags.FireAndForget);
                return;
            }

            sent = link.Subscriber.PublishAsync(link.Keys.Inbox(bridge.PeerNode), frame);
        }
        catch (RedisException ex)
        {
            bridge.Reset($"Redis refused a frame: {ex.Message}");
            return;
        }

        if (!sent.IsCompletedSuccessfully || sent.Result == 0)
        {
            sent.ContinueWith(static (task, state) =>
            {
                if (!task.IsCompletedSuccessfully || task.Result == 0)
                {
                    ((BridgeEnd)state!).Reset(task.IsCompletedSuccessfully ? "its peer node no longer listens" : "Redis failed a frame");
                }
            }, bridge, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    /// <summary>
    /// Sends a relay straight to the node of the room mate it is for (<see cref="ClientBridge.Forward"/>), without
    /// waiting: one that cannot be sent is lost, like a relay to a participant that is away.
    /// </summary>
    public void PublishRelay(PeerLocation target, string senderId, byte[] relayed)
    {
        var frame = BridgeFrame.Write(BridgeFrameKind.Relay, 0, target.Bridge, 0, link.NowMilliseconds, RelayPayload.Write(senderId, relayed));
        try
        {
            _ = link.Subscriber.PublishAsync(link.Keys.Inbox(target.Node), frame, CommandFlags.FireAndForget);
        }
        catch (RedisException)
        {
            // Redis is away: the link notices and resets every bridge.
        }
    }

    /// <summary>Sends a frame and waits (bounded by the operation timeout) for how many nodes received it; -1 on failure.</summary>
    public async Task<long> PublishAndWaitAsync(string node, byte[] frame)
    {
        try
        {
            return await link.Subscriber.PublishAsync(link.Keys.Inbox(node), frame).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            link.MarkUnreachable(ex.Message);
            return -1;
        }
    }

    private void OnMessage(ChannelMessage message)
    {
        var bytes = (byte[]?)message.Message;
        if (bytes is null || !BridgeFrame.TryRead(bytes, out var frame))
        {
            return;
        }

        if (frame.Kind == BridgeFrameKind.Probe)
        {
            Volatile.Write(ref lastProbeMilliseconds, link.NowMilliseconds);
            return;
        }

        if (frame.Kind == BridgeFrameKind.AdminRequest)
        {
            Admin.OnRequest(frame);
            return;
        }

        if (frame.Kind == BridgeFrameKind.AdminReply)
        {
            Admin.OnReply(frame);
            return;
        }

        var id = Encoding.ASCII.GetString(frame.Id);
        if (frame.Kind == BridgeFrameKind.Relay)
        {
            if (bridges.TryGetValue(id, out var target) && target is ClientBridge client)
            {
                client.OnRelay(frame);
            }
        }
        else if (frame.Kind == BridgeFrameKind.Open)
        {
            StartOwnerSession(id, frame);
        }
        else if (bridges.TryGetValue(id, out var bridge))
        {
            bridge.OnFrame(frame);
        }
    }

    /// <summary>A client of another node joins a room this node serves: its session runs here, over the bridge.</summary>
    private void StartOwnerSession(string id, in BridgeFrame open)
    {
        if (!OpenPayload.TryRead(open.Payload, out var origin, out var firstMessage) || bridges.ContainsKey(id))
        {
            return;
        }

        var transport = new OwnerTransport(id, origin.ClientNode, this, Server.Options.MaxQueuedMessages, new Introducer(Rooms, link.NodeId));
        if (bridges.Count >= Server.Options.MaxConnections)
        {
            ScaleLog.TooManyBridges(logger, origin.ClientNode, Server.Options.MaxConnections);
            transport.Reset("this node carries too many sessions");
            return;
        }

        bridges[id] = transport;
        transport.Start(open, firstMessage);
        var address = origin.RemoteAddress is { } text ? IPAddress.Parse(text) : null;
        var sessionOrigin = new SessionOrigin(origin.RequestHost, address, origin.AccessToken);
        _ = Task.Run(() => Server.RunSessionAsync(_ => transport, sessionOrigin, CancellationToken.None, greet: false));
    }
}
