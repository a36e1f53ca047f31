namespace Parley.Compat.Tracker.Swarms;

/// <summary>The peers that announced one info_hash (a Trystero room), with the counts a reply and a scrape report.</summary>
internal sealed class Swarm(string infoHash)
{
    public string InfoHash { get; } = infoHash;

    public Dictionary<string, SwarmPeer> Peers { get; } = new(StringComparer.Ordinal);

    public int Complete => Peers.Values.Count(peer => peer.Complete);

    public int Incomplete => Peers.Count - Complete;

    /// <summary>
    /// Up to <paramref name="count"/> distinct peers other than <paramref name="except"/>, chosen at random (a partial
    /// Fisher-Yates shuffle), so each of an announce's offers reaches a different peer, as in the reference.
    /// </summary>
    public List<SwarmPeer> PickOthers(SwarmPeer except, int count)
    {
        var others = new List<SwarmPeer>(Peers.Count);
        foreach (var peer in Peers.Values)
        {
            if (!ReferenceEquals(peer, except))
            {
                others.Add(peer);
            }
        }

        var picked = Math.Min(count, others.Count);
        for (var i = 0; i < picked; i++)
        {
            var j = Random.Shared.Next(i, others.Count);
            (others[i], others[j]) = (others[j], others[i]);
        }

        others.RemoveRange(picked, others.Count - picked);
        return others;
    }
}
