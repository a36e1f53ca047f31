using System.Text.Json.Nodes;
using Parley.Tests.Shared;

namespace Parley.Server.Tests.Tracker;

/// <summary>
/// bittorrent-tracker's own client (its WebRTC stubbed) runs one scenario (tests/interop/tracker/scenario.mjs) against
/// Parley's <c>/announce</c> and against the reference server, bittorrent-tracker's <c>Server</c>, in the same test: the
/// announce reply, the offer reaching the other peer, the answer routed back, scrape counts, <c>stopped</c>, a socket
/// close, and the error replies must be observed the same way from both.
/// </summary>
public sealed class TrackerInteropTests
{
    [Fact]
    public async Task Bittorrent_trackers_client_sees_the_same_tracker_in_parley_as_in_the_reference_server()
    {
        using var server = new ParleyServer();
        var parley = JsonNode.Parse(await InteropNode.RunAsync("tracker/scenario.mjs", [$"ws://{server.BaseAddress.Authority}/announce"]))!.AsObject();
        var reference = JsonNode.Parse(await InteropNode.RunAsync("tracker/scenario.mjs", ["reference"]))!.AsObject();

        // What the scenario must observe, against either.
        foreach (var run in new[] { parley, reference })
        {
            Assert.Equal("""{"complete":0,"incomplete":1,"hasInterval":true,"infoHash":true}""", run["firstReply"]!.ToJsonString());
            Assert.Equal("""{"complete":0,"incomplete":2}""", run["secondReply"]!.ToJsonString());
            Assert.Equal("""{"fromB":true,"received":["offer"]}""", run["offer"]!.ToJsonString());
            Assert.Equal("""{"fromA":true,"answersBsOffer":true,"type":"answer"}""", run["answer"]!.ToJsonString());
            Assert.Equal("""{"complete":0,"incomplete":2}""", run["scrape"]!.ToJsonString());
            Assert.Equal("""{"ours":{"complete":0,"incomplete":2},"other":{"complete":0,"incomplete":0}}""", run["scrapeMany"]!.ToJsonString());
            Assert.Equal("""{"complete":0,"incomplete":1}""", run["stoppedReply"]!.ToJsonString());
            Assert.Equal("""{"complete":0,"incomplete":2}""", run["cReply"]!.ToJsonString());
            Assert.Equal("""{"complete":0,"incomplete":1}""", run["afterClose"]!.ToJsonString());
            Assert.Equal("invalid event", (string?)run["invalidEvent"]);
            Assert.Equal("invalid info_hash", (string?)run["shortInfoHash"]);
            Assert.Equal("invalid peer_id", (string?)run["shortPeerId"]);
            Assert.Equal("[]", run["warningsA"]!.ToJsonString());
        }

        // The one deliberate difference: a malformed request's failure keeps `action` in Parley, where the reference's
        // reply without one makes its client drop the socket and reconnect.
        Assert.Equal("announce", (string?)parley["shortInfoHashAction"]);
        Assert.Null((string?)reference["shortInfoHashAction"]);
        parley.Remove("shortInfoHashAction");
        reference.Remove("shortInfoHashAction");
        Assert.Equal(reference.ToJsonString(), parley.ToJsonString());
    }
}
