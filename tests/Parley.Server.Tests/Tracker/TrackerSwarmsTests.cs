using Parley.Compat.Tracker;

namespace Parley.Server.Tests.Tracker;

/// <summary>The tracker's rules over its swarms, with no sockets (src/Parley.Compat.Tracker/Swarms).</summary>
public sealed class TrackerSwarmsTests
{
    private static readonly string Room = TrackerHarness.Id("room");

    [Fact]
    public void Each_offer_goes_to_a_different_random_peer_never_the_sender_and_extra_offers_are_dropped()
    {
        var harness = new TrackerHarness();
        var others = Enumerable.Range(0, 4).Select(i => harness.Connect($"p{i}")).ToList();
        others.ForEach(peer => peer.Announce(Room));
        var sender = harness.Connect("sender");

        Assert.True(sender.Announce(Room, offers: 6));

        Assert.Empty(sender.Offers);
        Assert.All(others, peer => Assert.Single(peer.Offers)); // 6 offers, 4 peers: one each, 2 dropped
        var offerIds = others.Select(peer => (string)peer.Offers[0]["offer_id"]!).ToList();
        Assert.Equal(4, offerIds.Distinct().Count());
        Assert.All(others, peer => Assert.Equal(sender.PeerId, (string?)peer.Offers[0]["peer_id"]));
        Assert.All(others, peer => Assert.Equal(Room, (string?)peer.Offers[0]["info_hash"]));
        Assert.All(others, peer => Assert.Equal("announce", (string?)peer.Offers[0]["action"]));
    }

    [Fact]
    public void The_reply_carries_interval_counts_and_the_info_hash_and_left_0_counts_as_complete()
    {
        var harness = new TrackerHarness();
        var seeder = harness.Connect("seeder");
        var leecher = harness.Connect("leecher");
        seeder.Announce(Room, extra: ""","left":0""");
        leecher.Announce(Room);

        var reply = leecher.Received.Single();
        Assert.Equal("""{"action":"announce","interval":20,"complete":1,"incomplete":1,"info_hash":"room________________"}""", reply.ToJsonString());
    }

    [Fact]
    public void An_answer_is_routed_once_and_only_for_an_offer_delivered_to_the_answerer_within_the_window()
    {
        var harness = new TrackerHarness();
        var answerer = harness.Connect("answerer");
        var stranger = harness.Connect("stranger");
        answerer.Announce(Room);
        stranger.Announce(Room);
        var offerer = harness.Connect("offerer");

        // Two offers, two other peers: each gets one.
        offerer.Announce(Room, offers: 2);
        var offerToAnswerer = (string)answerer.Offers.Single()["offer_id"]!;
        var offerToStranger = (string)stranger.Offers.Single()["offer_id"]!;

        // The stranger answers the offer it was not given: dropped, without a reply.
        var before = stranger.Received.Count;
        stranger.Answer(Room, offerer.PeerId, offerToAnswerer);
        Assert.Empty(offerer.Answers);
        Assert.Equal(before, stranger.Received.Count);

        // A made-up offer id, and an offer from someone else: dropped.
        answerer.Answer(Room, offerer.PeerId, TrackerHarness.Id("made-up"));
        answerer.Answer(Room, stranger.PeerId, offerToAnswerer);
        Assert.Empty(offerer.Answers);
        Assert.Empty(stranger.Answers);

        // The real answer goes through, opaque and exactly as sent; a second copy does not.
        answerer.Answer(Room, offerer.PeerId, offerToAnswerer, sdp: "1,2,3$c2VjcmV0");
        answerer.Answer(Room, offerer.PeerId, offerToAnswerer, sdp: "again");
        var answer = Assert.Single(offerer.Answers);
        Assert.Equal($$"""{"action":"announce","answer":{"type":"answer","sdp":"1,2,3$c2VjcmV0"},"offer_id":"{{offerToAnswerer}}","peer_id":"{{answerer.PeerId}}","info_hash":"{{Room}}"}""", answer.ToJsonString());

        // Past the window (120 s) an answer to a delivered offer is dropped.
        harness.Time.Advance(TimeSpan.FromSeconds(harness.Options.OfferTimeoutSeconds + 1));
        stranger.Announce(Room); // still in the swarm
        stranger.Answer(Room, offerer.PeerId, offerToStranger);
        Assert.Single(offerer.Answers);
    }

    [Fact]
    public void Stopped_and_a_closed_connection_leave_every_swarm_and_a_silent_peer_leaves_after_the_timeout()
    {
        var harness = new TrackerHarness();
        var other = TrackerHarness.Id("other room");
        var a = harness.Connect("a");
        var b = harness.Connect("b");
        a.Announce(Room);
        a.Announce(other);
        b.Announce(Room);
        Assert.Equal(3, harness.Swarms.PeerCount);

        Assert.True(b.Request($$"""{"action":"announce","info_hash":"{{Room}}","peer_id":"{{b.PeerId}}","event":"stopped"}"""));
        Assert.Equal(1, (int)b.Received[^1]["incomplete"]!);
        Assert.Equal(2, harness.Swarms.PeerCount);

        harness.Swarms.Disconnected(a.Connection);
        Assert.Equal(0, harness.Swarms.PeerCount);
        Assert.Equal(0, harness.Swarms.SwarmCount);

        b.Announce(Room);
        harness.Time.Advance(TimeSpan.FromSeconds(harness.Options.PeerTimeoutSeconds - 5));
        Assert.Equal(0, harness.Swarms.Sweep());
        harness.Time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(1, harness.Swarms.Sweep());
        Assert.Equal(0, harness.Swarms.SwarmCount);
    }

    [Fact]
    public void A_peer_id_held_by_another_live_connection_is_refused_until_its_holder_goes_silent()
    {
        var harness = new TrackerHarness();
        var owner = harness.Connect("owner");
        var thief = harness.Connect("thief");
        owner.Announce(Room);

        Assert.True(thief.Announce(Room, peerId: owner.PeerId));
        var failure = Assert.Single(thief.Failures);
        Assert.Equal("announce", (string?)failure["action"]);
        Assert.Equal(Room, (string?)failure["info_hash"]);

        harness.Time.Advance(TimeSpan.FromSeconds(harness.Options.PeerTimeoutSeconds + 1));
        thief.Announce(Room, peerId: owner.PeerId);
        Assert.Single(thief.Failures);
        Assert.Equal(1, harness.Swarms.PeerCount);
    }

    [Fact]
    public void Swarms_per_connection_and_peers_per_swarm_are_bounded()
    {
        var harness = new TrackerHarness(new TrackerOptions { MaxSwarmsPerConnection = 2, MaxPeersPerSwarm = 3 });
        var greedy = harness.Connect("greedy");
        greedy.Announce(TrackerHarness.Id("s1"));
        greedy.Announce(TrackerHarness.Id("s2"));
        greedy.Announce(TrackerHarness.Id("s3"));
        Assert.Contains("too many swarms", (string?)Assert.Single(greedy.Failures)["failure reason"]);

        var peers = Enumerable.Range(0, 4).Select(i => harness.Connect($"q{i}")).ToList();
        peers.ForEach(peer => peer.Announce(Room));
        Assert.Contains("swarm is full", (string?)Assert.Single(peers[3].Failures)["failure reason"]);
        Assert.Equal(2 + 3, harness.Swarms.PeerCount);
    }

    [Fact]
    public void At_most_ten_offers_of_an_announce_are_relayed()
    {
        var harness = new TrackerHarness();
        var peers = Enumerable.Range(0, 12).Select(i => harness.Connect($"r{i}")).ToList();
        peers.ForEach(peer => peer.Announce(Room));
        var sender = harness.Connect("sender");

        sender.Announce(Room, offers: 12);

        Assert.Equal(10, peers.Sum(peer => peer.Offers.Count));
    }

    [Fact]
    public void A_scrape_counts_each_info_hash_asked_and_unknown_ones_as_empty()
    {
        var harness = new TrackerHarness();
        var a = harness.Connect("a");
        a.Announce(Room, extra: ""","left":0""");
        harness.Connect("b").Announce(Room);
        var unknown = TrackerHarness.Id("unknown");

        a.Request($$"""{"action":"scrape","info_hash":["{{Room}}","{{unknown}}","{{Room}}"]}""");

        Assert.Equal($$$"""{"action":"scrape","files":{"{{{Room}}}":{"complete":1,"incomplete":1,"downloaded":1},"{{{unknown}}}":{"complete":0,"incomplete":0,"downloaded":0}},"flags":{"min_request_interval":20}}""",
            a.Received[^1].ToJsonString());
    }
}
