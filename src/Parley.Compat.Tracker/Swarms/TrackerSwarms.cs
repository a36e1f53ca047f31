using Microsoft.Extensions.Options;
using Parley.Compat.Tracker.Protocol;

namespace Parley.Compat.Tracker.Swarms;

/// <summary>
/// Every swarm the tracker holds, and the protocol's rules over them, with no I/O: a request goes in, the frames to
/// send come out (docs/protocol.md, "WebTorrent tracker"). One lock guards it all; each operation is short, and frames
/// are sent by the caller after the lock is released. Time comes from <see cref="TimeProvider"/>.
/// </summary>
internal sealed partial class TrackerSwarms(IOptions<TrackerOptions> options, TimeProvider time)
{
    private readonly TrackerOptions options = options.Value;
    private readonly Lock gate = new();
    private readonly Dictionary<string, Swarm> swarms = new(StringComparer.Ordinal);

    /// <summary>Swarms held (for tests and logs).</summary>
    public int SwarmCount
    {
        get
        {
            lock (gate)
            {
                return swarms.Count;
            }
        }
    }

    /// <summary>Peers held in all swarms (for tests and logs).</summary>
    public int PeerCount
    {
        get
        {
            lock (gate)
            {
                return swarms.Values.Sum(swarm => swarm.Peers.Count);
            }
        }
    }

    /// <summary>Handles one request from <paramref name="from"/>; the frames to send are added to <paramref name="output"/>. Refusals come back as failure frames there too.</summary>
    public void Handle(TrackerConnection from, TrackerRequest request, List<Outgoing> output)
    {
        lock (gate)
        {
            switch (request)
            {
                case AnnounceRequest announce:
                    Announce(from, announce, output);
                    break;
                case ScrapeRequest scrape:
                    Scrape(from, scrape, output);
                    break;
            }
        }
    }

    /// <summary>The connection closed: <c>stopped</c> in every swarm it joined, as in the reference.</summary>
    public void Disconnected(TrackerConnection connection)
    {
        lock (gate)
        {
            foreach (var (infoHash, peerId) in connection.Memberships.ToArray())
            {
                if (swarms.TryGetValue(infoHash, out var swarm) && swarm.Peers.TryGetValue(peerId, out var peer))
                {
                    Remove(swarm, peer);
                }
            }

            connection.Memberships.Clear();
        }
    }

    /// <summary>
    /// Drops peers that have not announced for <see cref="TrackerOptions.PeerTimeoutSeconds"/>, and forgets offers older
    /// than <see cref="TrackerOptions.OfferTimeoutSeconds"/>. Returns how many peers left.
    /// </summary>
    public int Sweep()
    {
        var now = time.GetTimestamp();
        var peerDeadline = now - Ticks(options.PeerTimeoutSeconds);
        var offerDeadline = now - Ticks(options.OfferTimeoutSeconds);
        var removed = 0;
        lock (gate)
        {
            foreach (var swarm in swarms.Values.ToArray())
            {
                foreach (var peer in swarm.Peers.Values.ToArray())
                {
                    if (peer.AnnouncedAt < peerDeadline)
                    {
                        Remove(swarm, peer);
                        removed++;
                    }
                    else
                    {
                        peer.ForgetOffersBefore(offerDeadline);
                    }
                }
            }
        }

        return removed;
    }

    private void Scrape(TrackerConnection from, ScrapeRequest scrape, List<Outgoing> output)
    {
        var files = new List<(string, int, int)>(scrape.InfoHashes.Count);
        foreach (var infoHash in scrape.InfoHashes)
        {
            files.Add(swarms.TryGetValue(infoHash, out var swarm) ? (infoHash, swarm.Complete, swarm.Incomplete) : (infoHash, 0, 0));
        }

        output.Add(new(from, TrackerFrames.ScrapeReply(files, options.IntervalSeconds)));
    }

    private void Remove(Swarm swarm, SwarmPeer peer)
    {
        swarm.Peers.Remove(peer.PeerId);
        peer.Connection.Memberships.Remove((swarm.InfoHash, peer.PeerId));
        if (swarm.Peers.Count == 0)
        {
            swarms.Remove(swarm.InfoHash);
        }
    }

    private long Ticks(int seconds) => seconds * time.TimestampFrequency;

    private static void Fail(TrackerConnection to, string infoHash, string reason, List<Outgoing> output) =>
        output.Add(new(to, TrackerFrames.Failure(new("announce", infoHash, reason))));
}
