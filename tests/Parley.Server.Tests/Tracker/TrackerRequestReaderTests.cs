using System.Text;
using Parley.Compat.Tracker.Protocol;

namespace Parley.Server.Tests.Tracker;

/// <summary>The envelope reader of the tracker protocol: the refusals it gives, and that it never throws.</summary>
public sealed class TrackerRequestReaderTests
{
    private const string Ih = "iiiiiiiiiiiiiiiiiiii";
    private const string Pid = "pppppppppppppppppppp";

    [Theory]
    [InlineData("""{"action":"announce","info_hash":"short","peer_id":"pppppppppppppppppppp"}""", "announce", null, "invalid info_hash")]
    [InlineData("""{"action":"announce","info_hash":"iiiiiiiiiiiiiiiiiiiii","peer_id":"pppppppppppppppppppp"}""", "announce", null, "invalid info_hash")]
    [InlineData("""{"action":"announce","info_hash":"iiiiiiiiiiiiiiiiiii\u0100","peer_id":"pppppppppppppppppppp"}""", "announce", null, "invalid info_hash")]
    [InlineData("""{"action":"announce","info_hash":12345678901234567890,"peer_id":"pppppppppppppppppppp"}""", "announce", null, "invalid info_hash")]
    [InlineData("""{"action":"announce","info_hash":"iiiiiiiiiiiiiiiiiiii","peer_id":"p"}""", "announce", Ih, "invalid peer_id")]
    [InlineData("""{"action":"announce","info_hash":"iiiiiiiiiiiiiiiiiiii","peer_id":"pppppppppppppppppppp","event":"bogus"}""", "announce", Ih, "invalid event")]
    [InlineData("""{"action":"announce","info_hash":"iiiiiiiiiiiiiiiiiiii","peer_id":"pppppppppppppppppppp","answer":{"sdp":"x"},"offer_id":"oooooooooooooooooooo"}""", "announce", Ih, "invalid `to_peer_id` (required with `answer`)")]
    [InlineData("""{"action":"announce","info_hash":"iiiiiiiiiiiiiiiiiiii","peer_id":"pppppppppppppppppppp","answer":{"sdp":"x"},"to_peer_id":"tttttttttttttttttttt"}""", "announce", Ih, "invalid answer")]
    [InlineData("""{"action":"announce","info_hash":"iiiiiiiiiiiiiiiiiiii","peer_id":"pppppppppppppppppppp","answer":"sdp","to_peer_id":"tttttttttttttttttttt","offer_id":"oooooooooooooooooooo"}""", "announce", Ih, "invalid answer")]
    [InlineData("""{"action":"announce","info_hash":"iiiiiiiiiiiiiiiiiiii","peer_id":"pppppppppppppppppppp","offers":[{"offer_id":"short","offer":{}}]}""", "announce", Ih, "invalid offers")]
    [InlineData("""{"action":"announce","info_hash":"iiiiiiiiiiiiiiiiiiii","peer_id":"pppppppppppppppppppp","offers":[{"offer_id":"oooooooooooooooooooo","offer":"sdp"}]}""", "announce", Ih, "invalid offers")]
    [InlineData("""{"action":"scrape"}""", "scrape", null, "invalid info_hash")]
    [InlineData("""{"action":"scrape","info_hash":[]}""", "scrape", null, "invalid info_hash (one, or a list of 1 to 20)")]
    [InlineData("""{"action":"scrape","info_hash":["iiiiiiiiiiiiiiiiiiii","x"]}""", "scrape", null, "invalid info_hash")]
    [InlineData("""{"action":"connect","info_hash":"iiiiiiiiiiiiiiiiiiii"}""", "announce", Ih, "invalid action in WS request: connect")]
    [InlineData("""{"info_hash":"iiiiiiiiiiiiiiiiiiii"}""", "announce", Ih, "invalid action in WS request: undefined")]
    [InlineData("""{ not json""", "announce", null, "invalid JSON")]
    [InlineData("""[1,2]""", "announce", null, "invalid JSON")]
    [InlineData("""{"action":"scrape","info_hash":"iiiiiiiiiiiiiiiiiiii"} {}""", "announce", null, "invalid JSON")]
    [InlineData("""{"action":"announce","info_hash":"\udc00iiiiiiiiiiiiiiiiiii","peer_id":"pppppppppppppppppppp"}""", "announce", null, "invalid info_hash")]
    public void Refuses_with_a_failure_that_keeps_action_and_info_hash(string json, string action, string? infoHash, string reason)
    {
        Assert.False(TrackerRequestReader.TryRead(Encoding.UTF8.GetBytes(json), 10, 20, out var request, out var failure));
        Assert.Null(request);
        Assert.Equal(new TrackerFailure(action, infoHash, reason), failure);
    }

    [Fact]
    public void Offers_and_answers_are_kept_as_the_exact_bytes_sent_and_latin1_ids_as_received()
    {
        const string offer = """{ "type" : "offer", "sdp":"12,7,99$q83v\u00e9\/=", "extra": [1, {"deep": null}] }""";
        var binaryId = "\u00ff\u0000abcdefghijklmnopq\u0080"; // bittorrent-tracker's client sends raw bytes as latin1
        var json = $$"""{"action":"announce","info_hash":{{System.Text.Json.JsonSerializer.Serialize(binaryId)}},"peer_id":"{{Pid}}","offers":[{"offer_id":"oooooooooooooooooooo","offer":{{offer}}}]}""";

        Assert.True(TrackerRequestReader.TryRead(Encoding.UTF8.GetBytes(json), 10, 20, out var request, out _));

        var announce = Assert.IsType<AnnounceRequest>(request);
        Assert.Equal(binaryId, announce.InfoHash);
        Assert.Equal(offer, Encoding.UTF8.GetString(Assert.Single(announce.Offers).Offer));
        Assert.Equal(AnnounceEvent.Update, announce.Event);
        Assert.False(announce.Left0);
    }

    [Theory]
    [InlineData(""","left":0""", true)]
    [InlineData(""","left":null""", true)] // JSON.stringify(Infinity), bittorrent-tracker's default
    [InlineData(""","left":"0" """, true)]
    [InlineData(""","left":5""", false)]
    [InlineData("", false)]
    public void Left_counts_as_zero_as_the_reference_reads_it(string left, bool zero)
    {
        var json = $$"""{"action":"announce","info_hash":"{{Ih}}","peer_id":"{{Pid}}"{{left}}}""";
        Assert.True(TrackerRequestReader.TryRead(Encoding.UTF8.GetBytes(json), 10, 20, out var request, out _));
        Assert.Equal(zero, ((AnnounceRequest)request!).Left0);
    }

    [Fact]
    public void Random_bytes_and_mutations_of_valid_requests_never_throw()
    {
        var random = new Random(15);
        var valid = Encoding.UTF8.GetBytes($$$"""{"action":"announce","info_hash":"{{{Ih}}}","peer_id":"{{{Pid}}}","offers":[{"offer_id":"oooooooooooooooooooo","offer":{"type":"offer","sdp":"v=0"}}],"to_peer_id":"tttttttttttttttttttt","offer_id":"oooooooooooooooooooo","answer":{"type":"answer"}}""");
        for (var i = 0; i < 20_000; i++)
        {
            byte[] input;
            if (i % 2 == 0)
            {
                input = new byte[random.Next(0, 200)];
                random.NextBytes(input);
            }
            else
            {
                input = (byte[])valid.Clone();
                for (var m = random.Next(1, 4); m > 0; m--)
                {
                    input[random.Next(input.Length)] = (byte)random.Next(256);
                }
            }

            TrackerRequestReader.TryRead(input, 10, 20, out _, out _);
        }

        var deep = Encoding.UTF8.GetBytes(new string('[', 10_000) + new string(']', 10_000));
        Assert.False(TrackerRequestReader.TryRead(deep, 10, 20, out _, out _));
    }
}
