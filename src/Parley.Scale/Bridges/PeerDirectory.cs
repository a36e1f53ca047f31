using Parley.Signaling.Handlers;

namespace Parley.Scale.Bridges;

/// <summary>What happens to a relay that reached the client's node.</summary>
internal enum RelayAdmission
{
    /// <summary>Its sender is a room mate the client knows: deliver it now.</summary>
    Deliver,

    /// <summary>The client has not been told of its sender yet: kept until it is (or it grows stale).</summary>
    Held,

    /// <summary>Stale, from a room mate the client was told left, or beyond what may be held: never delivered.</summary>
    Dropped,
}

/// <summary>
/// On a client's node, for one handed-over session: the room mates its client has been told of, and where each is
/// connected, as the room's owner introduced them (<see cref="Introductions"/>, in order with what the client receives).
/// The client node relays the client's offers, answers and candidates straight to a room mate's node (one hop through
/// Redis instead of two through the owner), and delivers a relay only from a room mate its client knows: one that
/// arrives before the client was told of its sender (the two paths race) is held until it has been, so nothing is
/// relayed from someone the client has not met, or who left. No I/O.
/// </summary>
internal sealed class PeerDirectory(int maxHeld)
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, PeerLocation> peers = new(StringComparer.Ordinal);
    private readonly List<HeldRelay> held = [];
    private string? self;
    private bool mayPublish;
    private bool hidden;

    /// <summary>Applies the entries that came with a message the client was just sent; returns the relays this releases, in arrival order.</summary>
    public List<byte[]>? Apply(List<Introduction> entries, long now, long maxAge)
    {
        lock (gate)
        {
            foreach (var entry in entries)
            {
                switch (entry.Kind)
                {
                    case IntroductionKind.Fresh:
                        peers.Clear();
                        held.Clear();
                        self = entry.Id;
                        mayPublish = entry.MayPublish;
                        hidden = entry.Hidden;
                        break;
                    case IntroductionKind.Self when entry.Id == self:
                        mayPublish = entry.MayPublish;
                        break;
                    case IntroductionKind.Present:
                        peers[entry.Id] = new PeerLocation(entry.Node, entry.Bridge);
                        break;
                    case IntroductionKind.Gone:
                        peers.Remove(entry.Id);
                        held.RemoveAll(relay => relay.SenderId == entry.Id);
                        break;
                }
            }

            return ReleaseLocked(now, maxAge);
        }
    }

    /// <summary>
    /// The client's <paramref name="message"/> as a relay to send straight to a room mate's bridge, if it is an offer,
    /// answer or candidate that passes every check, to a room mate connected to another node than the owner. False:
    /// send it to the owner as any other message (it answers refusals).
    /// </summary>
    public bool TryRoute(ReadOnlySpan<byte> message, out PeerLocation target, out string senderId, out byte[] relayed)
    {
        target = default;
        relayed = [];
        string? sender;
        bool publish;
        lock (gate)
        {
            sender = hidden ? null : self; // a hidden participant reaches nobody: the owner says so
            publish = mayPublish;
        }

        senderId = sender ?? "";
        if (sender is null || !PeerRelay.TryPrepare(message, sender, publish, out var to, out relayed))
        {
            return false;
        }

        lock (gate)
        {
            return peers.TryGetValue(to, out target) && target.Bridge.Length != 0;
        }
    }

    /// <summary>The client left its room: relays are no longer sent directly, or delivered, until it joins again.</summary>
    public void Clear()
    {
        lock (gate)
        {
            peers.Clear();
            held.Clear();
            self = null;
        }
    }

    public RelayAdmission Admit(string senderId, ReadOnlySpan<byte> message, long sentAtMilliseconds, long now, long maxAge)
    {
        if (now - sentAtMilliseconds > maxAge)
        {
            return RelayAdmission.Dropped;
        }

        lock (gate)
        {
            if (self is null)
            {
                return RelayAdmission.Dropped;
            }

            if (peers.ContainsKey(senderId) && !held.Exists(relay => relay.SenderId == senderId))
            {
                return RelayAdmission.Deliver;
            }

            held.RemoveAll(relay => now - relay.SentAtMilliseconds > maxAge);
            if (held.Count >= maxHeld)
            {
                return RelayAdmission.Dropped;
            }

            held.Add(new HeldRelay(senderId, message.ToArray(), sentAtMilliseconds));
            return RelayAdmission.Held;
        }
    }

    private List<byte[]>? ReleaseLocked(long now, long maxAge)
    {
        List<byte[]>? released = null;
        held.RemoveAll(relay =>
        {
            if (now - relay.SentAtMilliseconds > maxAge)
            {
                return true;
            }

            if (!peers.ContainsKey(relay.SenderId))
            {
                return false;
            }

            (released ??= []).Add(relay.Message);
            return true;
        });
        return released;
    }

    private readonly record struct HeldRelay(string SenderId, byte[] Message, long SentAtMilliseconds);
}
