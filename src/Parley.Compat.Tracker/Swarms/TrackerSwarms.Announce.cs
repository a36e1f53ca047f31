using Parley.Compat.Tracker.Protocol;

namespace Parley.Compat.Tracker.Swarms;

internal sealed partial class TrackerSwarms
{
    /// <summary>
    /// An announce, in the reference's order: the peer joins or updates (or leaves, on <c>stopped</c>), the reply goes
    /// back (not for an announce that carries an answer), each offer goes to a different random other peer, and an
    /// answer goes to the peer whose offer it answers, if this server delivered that offer to the answerer.
    /// </summary>
    private void Announce(TrackerConnection from, AnnounceRequest announce, List<Outgoing> output)
    {
        var now = time.GetTimestamp();
        swarms.TryGetValue(announce.InfoHash, out var swarm);
        var peer = swarm?.Peers.GetValueOrDefault(announce.PeerId);
        if (peer is not null && peer.Connection != from)
        {
            if (peer.AnnouncedAt >= now - Ticks(options.PeerTimeoutSeconds))
            {
                // The reference lets any socket take over a peer_id, and with it the offers meant for that peer.
                Fail(from, announce.InfoHash, "peer_id is in use by another connection", output);
                return;
            }

            Remove(swarm!, peer); // its socket went silent: the id is free
            peer = null;
            swarms.TryGetValue(announce.InfoHash, out swarm);
        }

        if (announce.Event == AnnounceEvent.Stopped)
        {
            if (peer is not null)
            {
                Remove(swarm!, peer);
            }

            output.Add(new(from, TrackerFrames.AnnounceReply(announce.InfoHash, swarm?.Complete ?? 0, swarm?.Incomplete ?? 0, options.IntervalSeconds)));
            return;
        }

        if (peer is null)
        {
            if (from.Memberships.Count >= options.MaxSwarmsPerConnection)
            {
                Fail(from, announce.InfoHash, $"too many swarms on one connection (at most {options.MaxSwarmsPerConnection})", output);
                return;
            }

            if (swarm is not null && swarm.Peers.Count >= options.MaxPeersPerSwarm)
            {
                Fail(from, announce.InfoHash, $"swarm is full (at most {options.MaxPeersPerSwarm} peers)", output);
                return;
            }

            if (swarm is null)
            {
                swarm = new Swarm(announce.InfoHash);
                swarms.Add(swarm.InfoHash, swarm);
            }

            peer = new SwarmPeer(announce.PeerId, from, now) { Complete = announce.Left0 };
            swarm.Peers.Add(peer.PeerId, peer);
            from.Memberships.Add((swarm.InfoHash, peer.PeerId));
        }
        else
        {
            // As the reference: a peer becomes complete on `completed` or left=0, and never incomplete again.
            peer.Complete |= announce.Left0 || announce.Event == AnnounceEvent.Completed;
            peer.AnnouncedAt = now;
        }

        if (announce.Answer is null)
        {
            output.Add(new(from, TrackerFrames.AnnounceReply(swarm!.InfoHash, swarm.Complete, swarm.Incomplete, options.IntervalSeconds)));
        }

        FanOut(swarm!, peer, announce, now, output);
        if (announce.Answer is { } answer)
        {
            RouteAnswer(swarm!, peer, answer, now, output);
        }
    }

    private static void FanOut(Swarm swarm, SwarmPeer sender, AnnounceRequest announce, long now, List<Outgoing> output)
    {
        if (announce.Offers.Count == 0)
        {
            return;
        }

        var recipients = swarm.PickOthers(sender, announce.Offers.Count);
        for (var i = 0; i < recipients.Count; i++)
        {
            var offer = announce.Offers[i];
            recipients[i].Delivered(offer.OfferId, sender.PeerId, now);
            output.Add(new(recipients[i].Connection, TrackerFrames.Offer(swarm.InfoHash, sender.PeerId, offer.OfferId, offer.Offer)));
        }
    }

    /// <summary>
    /// Routes an answer only for an offer this server delivered to the answerer within
    /// <see cref="TrackerOptions.OfferTimeoutSeconds"/> (aquatic's rule): otherwise any peer could push an answer, and so
    /// a connection attempt, at any peer_id it has seen. Unroutable answers are dropped without a reply, as the reference
    /// drops an answer for a peer that left.
    /// </summary>
    private void RouteAnswer(Swarm swarm, SwarmPeer answerer, RelayedAnswer answer, long now, List<Outgoing> output)
    {
        if (!answerer.TryClaim(answer.OfferId, answer.ToPeerId, now - Ticks(options.OfferTimeoutSeconds))
            || !swarm.Peers.TryGetValue(answer.ToPeerId, out var offerer))
        {
            return;
        }

        output.Add(new(offerer.Connection, TrackerFrames.Answer(swarm.InfoHash, answerer.PeerId, answer.OfferId, answer.Answer)));
    }
}
