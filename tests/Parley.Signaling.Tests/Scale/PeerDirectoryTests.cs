using System.Text;
using Parley.Scale.Bridges;

namespace Parley.Signaling.Tests.Scale;

/// <summary>
/// The client node's view of its client's room mates (several nodes, direct relays): a relay is delivered only from a
/// room mate the client has been told of, in the order relays arrived; sent directly only to a room mate on another
/// node; and the introductions that carry this read back as written, whatever the bytes.
/// </summary>
public class PeerDirectoryTests
{
    private const long MaxAge = 3000;
    private const string BobBridge = "0123456789abcdef";
    private static readonly byte[] Offer = Encoding.UTF8.GetBytes("""{"type":"offer","to":"p_bob","sdp":"v=0\r\na=sendrecv\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"}""");

    [Fact]
    public void A_relay_from_someone_not_yet_introduced_is_held_and_released_in_order_once_they_are()
    {
        var directory = Joined("p_carol");

        Assert.Equal(RelayAdmission.Held, directory.Admit("p_bob", "1"u8, 1000, 1000, MaxAge));
        Assert.Equal(RelayAdmission.Held, directory.Admit("p_bob", "2"u8, 1001, 1001, MaxAge));
        var released = directory.Apply([new Introduction(IntroductionKind.Present, "p_bob", "node-b", BobBridge)], 1002, MaxAge);

        Assert.Equal(["1", "2"], released!.Select(Encoding.UTF8.GetString));
        Assert.Equal(RelayAdmission.Deliver, directory.Admit("p_bob", "3"u8, 1003, 1003, MaxAge));
    }

    [Fact]
    public void Relays_from_someone_who_left_or_that_are_stale_are_dropped()
    {
        var directory = Joined("p_carol", ("p_bob", "node-b", BobBridge));

        Assert.Equal(RelayAdmission.Dropped, directory.Admit("p_bob", "old"u8, 1000, 1000 + MaxAge + 1, MaxAge));
        Assert.Null(directory.Apply([new Introduction(IntroductionKind.Gone, "p_bob")], 2000, MaxAge));
        Assert.Equal(RelayAdmission.Held, directory.Admit("p_bob", "late"u8, 2001, 2001, MaxAge));

        // Still unknown: what was held never comes out, even when someone else is introduced.
        Assert.Null(directory.Apply([new Introduction(IntroductionKind.Present, "p_dan", "node-b", BobBridge)], 2002, MaxAge));
        Assert.Null(directory.Apply([new Introduction(IntroductionKind.Present, "p_bob", "node-b", BobBridge)], 2001 + MaxAge + 1, MaxAge));
    }

    [Fact]
    public void What_may_be_held_is_bounded_and_a_client_that_has_not_joined_receives_no_relay()
    {
        Assert.Equal(RelayAdmission.Dropped, new PeerDirectory(4).Admit("p_bob", "x"u8, 0, 0, MaxAge));

        var directory = Joined("p_carol");
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(RelayAdmission.Held, directory.Admit("p_bob", "x"u8, 0, 0, MaxAge));
        }

        Assert.Equal(RelayAdmission.Dropped, directory.Admit("p_bob", "x"u8, 0, 0, MaxAge));
    }

    [Fact]
    public void Only_a_valid_relay_to_a_room_mate_on_a_client_node_is_routed_directly()
    {
        var directory = Joined("p_carol", ("p_bob", "node-b", BobBridge), ("p_alice", "node-a", ""));

        Assert.True(directory.TryRoute(Offer, out var target, out var sender, out var relayed));
        Assert.Equal(new PeerLocation("node-b", BobBridge), target);
        Assert.Equal("p_carol", sender);
        Assert.StartsWith("""{"type":"offer","from":"p_carol","sdp":""", Encoding.UTF8.GetString(relayed), StringComparison.Ordinal);

        // Through the owner: a room mate connected there, one not introduced, anything but a relay, a refused relay.
        Assert.False(directory.TryRoute(Encoding.UTF8.GetBytes("""{"type":"offer","to":"p_alice","sdp":"v=0"}"""), out _, out _, out _));
        Assert.False(directory.TryRoute(Encoding.UTF8.GetBytes("""{"type":"offer","to":"p_zed","sdp":"v=0"}"""), out _, out _, out _));
        Assert.False(directory.TryRoute(Encoding.UTF8.GetBytes("""{"type":"chat","text":"hi"}"""), out _, out _, out _));
        Assert.False(directory.TryRoute(Encoding.UTF8.GetBytes("""{"type":"candidate","to":"p_bob","candidate":7}"""), out _, out _, out _));

        // Muted by a moderator: an offer to send audio goes to the owner, which refuses it.
        directory.Apply([new Introduction(IntroductionKind.Self, "p_carol", MayPublish: false)], 0, MaxAge);
        Assert.False(directory.TryRoute(Offer, out _, out _, out _));

        directory.Clear();
        Assert.False(directory.TryRoute(Encoding.UTF8.GetBytes("""{"type":"candidate","to":"p_bob","candidate":null}"""), out _, out _, out _));
    }

    [Fact]
    public void A_hidden_client_relays_nothing_directly_so_the_owner_refuses_it_as_one_node_does()
    {
        var directory = new PeerDirectory(4);
        directory.Apply([new Introduction(IntroductionKind.Fresh, "p_carol", MayPublish: true, Hidden: true),
            new Introduction(IntroductionKind.Present, "p_bob", "node-b", BobBridge)], 0, MaxAge);

        Assert.False(directory.TryRoute(Offer, out _, out _, out _));

        // Joined again, not hidden: direct again.
        directory.Apply([new Introduction(IntroductionKind.Fresh, "p_carol", MayPublish: true),
            new Introduction(IntroductionKind.Present, "p_bob", "node-b", BobBridge)], 0, MaxAge);
        Assert.True(directory.TryRoute(Offer, out _, out _, out _));
    }

    [Fact]
    public void Introductions_and_relays_read_back_as_written_and_a_cut_one_is_refused()
    {
        var message = """{"type":"participant-joined","participant":{"id":"p_bob"}}"""u8.ToArray();
        List<Introduction> entries =
        [
            new(IntroductionKind.Fresh, "p_carol", MayPublish: true, Hidden: true),
            new(IntroductionKind.Present, "p_bob", "node-b", BobBridge),
            new(IntroductionKind.Present, "p_alice", "node-a"),
            new(IntroductionKind.Gone, "p_dan"),
        ];
        var payload = Introductions.Write(message, entries);
        var read = new List<Introduction>();

        Assert.True(Introductions.TryRead(payload, out var readMessage, read));
        Assert.Equal(message, readMessage.ToArray());
        Assert.Equal(entries, read);
        for (var length = 0; length < payload.Length; length++)
        {
            if (Introductions.TryRead(payload.AsSpan(0, length), out _, read))
            {
                Assert.True(read.Count < entries.Count, $"a cut at {length} read every entry");
            }
        }

        Assert.True(RelayPayload.TryRead(RelayPayload.Write("p_bob", message), out var sender, out var relayed));
        Assert.Equal("p_bob", sender);
        Assert.Equal(message, relayed.ToArray());
        Assert.False(RelayPayload.TryRead([5, (byte)'p'], out _, out _));
        Assert.False(RelayPayload.TryRead([], out _, out _));
    }

    private static PeerDirectory Joined(string self, params (string Id, string Node, string Bridge)[] mates)
    {
        var directory = new PeerDirectory(4);
        List<Introduction> entries = [new(IntroductionKind.Fresh, self, MayPublish: true), .. mates.Select(m => new Introduction(IntroductionKind.Present, m.Id, m.Node, m.Bridge))];
        Assert.Null(directory.Apply(entries, 0, MaxAge));
        return directory;
    }
}
