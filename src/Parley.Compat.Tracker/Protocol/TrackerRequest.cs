namespace Parley.Compat.Tracker.Protocol;

/// <summary>A message a tracker client sent: an <see cref="AnnounceRequest"/> or a <see cref="ScrapeRequest"/>.</summary>
internal abstract record TrackerRequest;

/// <summary>What an announce says about its peer in the swarm (BEP 3 <c>event</c>; absent, <c>empty</c> or <c>paused</c> is an update).</summary>
internal enum AnnounceEvent
{
    Update,
    Started,
    Stopped,
    Completed,
}

/// <summary>
/// <c>{action:"announce", info_hash, peer_id, event?, left?, offers?:[{offer_id, offer}], to_peer_id?, answer?, offer_id?}</c>.
/// <see cref="Left0"/> is true when the reference would read <c>left</c> as 0 (<c>Number(left) === 0</c>): the peer is
/// a seeder, counted in <c>complete</c>.
/// </summary>
internal sealed record AnnounceRequest(
    string InfoHash,
    string PeerId,
    AnnounceEvent Event,
    bool Left0,
    IReadOnlyList<RelayedOffer> Offers,
    RelayedAnswer? Answer) : TrackerRequest;

/// <summary>One offer to fan out: its id and the offer object's JSON exactly as the client sent it (opaque: Trystero encrypts the SDP in it).</summary>
internal sealed record RelayedOffer(string OfferId, byte[] Offer);

/// <summary>An answer to route back to <see cref="ToPeerId"/>, for its offer <see cref="OfferId"/>; <see cref="Answer"/> is the answer object's JSON as sent.</summary>
internal sealed record RelayedAnswer(string ToPeerId, string OfferId, byte[] Answer);

/// <summary><c>{action:"scrape", info_hash: id | id[]}</c>: the counts of one or several swarms.</summary>
internal sealed record ScrapeRequest(IReadOnlyList<string> InfoHashes) : TrackerRequest;

/// <summary>
/// Why a message was refused, as a <c>failure reason</c> reply. <see cref="Action"/> and <see cref="InfoHash"/> go back
/// with it: bittorrent-tracker's client drops and reconnects its socket on a reply without <c>action</c>, and reads a
/// failure only from a reply for its own <c>info_hash</c>.
/// </summary>
internal readonly record struct TrackerFailure(string Action, string? InfoHash, string Reason);
