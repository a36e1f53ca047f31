using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Parley.Compat.PeerJs.Protocol;

namespace Parley.Compat.PeerJs.Realm;

/// <summary>
/// Who holds which id, and the messages waiting for ids that are not connected (peerjs-server's <c>Realm</c> and its
/// message handlers). No I/O: clients are <see cref="IPeerJsClient"/>s whose sends only queue, so everything happens
/// under one lock and in order (<c>OPEN</c> before what waited, a waiting offer before the candidates after it).
/// </summary>
public sealed class PeerJsRealm : IDisposable
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, (IPeerJsClient Client, string Token)> clients = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PendingMessages> pending = new(StringComparer.Ordinal);
    private readonly PeerJsOptions options;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private long pendingBytes;
    private bool disposed;

    public PeerJsRealm(IOptions<PeerJsOptions> options, TimeProvider time, ILogger<PeerJsRealm> logger)
    {
        this.options = options.Value;
        this.time = time;
        this.logger = logger;
    }

    /// <summary>Ids connected now.</summary>
    public int Count
    {
        get
        {
            lock (gate)
            {
                return clients.Count;
            }
        }
    }

    /// <summary>Bytes of messages waiting for ids that are not connected, for tests and limits.</summary>
    public long PendingBytes
    {
        get
        {
            lock (gate)
            {
                return pendingBytes;
            }
        }
    }

    /// <summary>The ids connected now (<c>GET /peers</c> with discovery on).</summary>
    public string[] Ids()
    {
        lock (gate)
        {
            return [.. clients.Keys];
        }
    }

    /// <summary>A random id that no client holds now (<c>GET /id</c>); it is not reserved.</summary>
    public string NewId()
    {
        while (true)
        {
            var id = PeerJsIds.NewId();
            lock (gate)
            {
                if (!clients.ContainsKey(id))
                {
                    return id;
                }
            }
        }
    }

    /// <summary>
    /// Gives <paramref name="id"/> to <paramref name="client"/> unless another token holds it. On success the client is
    /// sent <c>OPEN</c> and then, in order, what waited for the id.
    /// </summary>
    public PeerJsAttach Attach(string id, string token, IPeerJsClient client)
    {
        IPeerJsClient? replaced = null;
        PeerJsAttach result;
        lock (gate)
        {
            if (clients.TryGetValue(id, out var holder))
            {
                if (!PeerJsIds.SecretEquals(holder.Token, token))
                {
                    return PeerJsAttach.Taken;
                }

                // The same token: the holder's socket is stale (the client reconnected); the new one wins.
                replaced = holder.Client;
                result = PeerJsAttach.Reclaimed;
            }
            else
            {
                result = PeerJsAttach.Opened;
            }

            clients[id] = (client, token);
            client.TrySend(PeerJsFrames.Open);
            if (pending.Remove(id, out var waiting))
            {
                waiting.Expiry?.Dispose();
                pendingBytes -= waiting.Bytes;
                foreach (var (_, frame) in waiting.Messages)
                {
                    client.TrySend(frame);
                }
            }
        }

        replaced?.Close(PeerJsErrors.Replaced);
        return result;
    }

    /// <summary>Frees <paramref name="id"/> if <paramref name="client"/> still holds it (not if a reconnect took it over).</summary>
    public void Detach(string id, IPeerJsClient client)
    {
        lock (gate)
        {
            if (clients.TryGetValue(id, out var holder) && ReferenceEquals(holder.Client, client))
            {
                clients.Remove(id);
            }
        }
    }

    /// <summary>
    /// Forwards a message of <paramref name="src"/> (stamped here; the client's own <c>src</c> was never read) to its
    /// <c>dst</c>: at once when connected, else it waits (<see cref="PeerJsOptions.ExpireTimeoutSeconds"/>). A type
    /// that is not relayed, or no <c>dst</c>, is ignored, as peerjs-server does.
    /// </summary>
    public void Relay(string src, IPeerJsClient sender, PeerJsClientMessage message)
    {
        if (message.Type is not { } type || !PeerJsMessageType.IsRelayed(type) || message.Dst is not { } dst)
        {
            return;
        }

        if (!PeerJsIds.IsValidId(dst))
        {
            // No client can ever hold that id: say so now rather than in 5 s. LEAVE and EXPIRE need no answer.
            if (type is not (PeerJsMessageType.Leave or PeerJsMessageType.Expire))
            {
                sender.TrySend(PeerJsFrames.Expire(dst, src));
            }

            return;
        }

        var frame = PeerJsFrames.Relay(type, src, dst, message.Payload);
        lock (gate)
        {
            if (clients.TryGetValue(dst, out var destination))
            {
                if (!destination.Client.TrySend(frame))
                {
                    // It stopped reading, and is being closed: its connections are over, as peerjs-server says.
                    sender.TrySend(PeerJsFrames.Leave(dst, src));
                }
            }
            else if (type is not (PeerJsMessageType.Leave or PeerJsMessageType.Expire))
            {
                Hold(src, sender, dst, frame);
            }
        }
    }

    /// <summary>Keeps a message for <paramref name="dst"/>, or expires it at once when the bounds are reached.</summary>
    private void Hold(string src, IPeerJsClient sender, string dst, byte[] frame)
    {
        if (disposed)
        {
            return;
        }

        pending.TryGetValue(dst, out var waiting);
        if ((waiting?.Messages.Count ?? 0) >= options.MaxQueuedPerDestination || pendingBytes + frame.Length > options.MaxQueuedBytes)
        {
            PeerJsLog.QueueFull(logger, dst);
            sender.TrySend(PeerJsFrames.Expire(dst, src));
            return;
        }

        if (waiting is null)
        {
            waiting = new PendingMessages(dst) { Realm = this };
            pending[dst] = waiting;
            waiting.Expiry = time.CreateTimer(static state => ((PendingMessages)state!).Expire(), waiting,
                TimeSpan.FromSeconds(options.ExpireTimeoutSeconds), Timeout.InfiniteTimeSpan);
        }

        waiting.Messages.Add((src, frame));
        waiting.Bytes += frame.Length;
        pendingBytes += frame.Length;
    }

    /// <summary>
    /// The destination never came: each sender still connected gets one <c>EXPIRE</c> per destination, as
    /// peerjs-server's <c>pruneOutstanding</c>.
    /// </summary>
    internal void Expire(PendingMessages waiting)
    {
        lock (gate)
        {
            waiting.Expiry?.Dispose();
            if (!pending.TryGetValue(waiting.Destination, out var current) || !ReferenceEquals(current, waiting))
            {
                return; // It connected meanwhile.
            }

            pending.Remove(waiting.Destination);
            pendingBytes -= waiting.Bytes;
            foreach (var src in waiting.Messages.Select(m => m.Src).Distinct(StringComparer.Ordinal))
            {
                if (clients.TryGetValue(src, out var sender))
                {
                    sender.Client.TrySend(PeerJsFrames.Expire(waiting.Destination, src));
                }
            }
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            disposed = true;
            foreach (var waiting in pending.Values)
            {
                waiting.Expiry?.Dispose();
            }

            pending.Clear();
            pendingBytes = 0;
        }
    }
}
