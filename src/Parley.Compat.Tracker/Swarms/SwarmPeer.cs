namespace Parley.Compat.Tracker.Swarms;

/// <summary>
/// A peer of one swarm: its socket, whether it announced as complete (a seeder), when it last announced, and the
/// offers this server delivered to it, which are the only ones it may answer.
/// </summary>
internal sealed class SwarmPeer(string peerId, TrackerConnection connection, long announcedAt)
{
    /// <summary>Offers remembered per peer: more than a swarm's fan-outs deliver in an offer's lifetime; the oldest goes first.</summary>
    public const int MaxDeliveredOffers = 64;

    public string PeerId { get; } = peerId;

    public TrackerConnection Connection { get; } = connection;

    public bool Complete { get; set; }

    public long AnnouncedAt { get; set; } = announcedAt;

    /// <summary>(offer_id, offerer's peer_id) to when it was delivered.</summary>
    private readonly Dictionary<(string OfferId, string FromPeerId), long> delivered = [];

    public int DeliveredCount => delivered.Count;

    /// <summary>Remembers an offer delivered to this peer, forgetting the oldest past <see cref="MaxDeliveredOffers"/>.</summary>
    public void Delivered(string offerId, string fromPeerId, long at)
    {
        if (delivered.Count >= MaxDeliveredOffers && !delivered.ContainsKey((offerId, fromPeerId)))
        {
            var oldest = delivered.MinBy(entry => entry.Value).Key;
            delivered.Remove(oldest);
        }

        delivered[(offerId, fromPeerId)] = at;
    }

    /// <summary>
    /// True, once, when <paramref name="offerId"/> from <paramref name="toPeerId"/> was delivered to this peer no earlier
    /// than <paramref name="notBefore"/>: each answer is routed once.
    /// </summary>
    public bool TryClaim(string offerId, string toPeerId, long notBefore) =>
        delivered.Remove((offerId, toPeerId), out var at) && at >= notBefore;

    /// <summary>Forgets offers delivered before <paramref name="notBefore"/>.</summary>
    public void ForgetOffersBefore(long notBefore)
    {
        foreach (var (key, at) in delivered)
        {
            if (at < notBefore)
            {
                delivered.Remove(key);
            }
        }
    }
}
