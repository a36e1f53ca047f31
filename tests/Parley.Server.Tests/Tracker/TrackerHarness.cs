using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Parley.Compat.Tracker;
using Parley.Compat.Tracker.Protocol;
using Parley.Compat.Tracker.Swarms;
using System.Text;
using System.Text.Json.Nodes;

namespace Parley.Server.Tests.Tracker;

/// <summary>The tracker's swarms with no sockets: connections that record what they are sent, and a fake clock.</summary>
internal sealed class TrackerHarness
{
    public TrackerHarness(TrackerOptions? options = null)
    {
        Options = options ?? new TrackerOptions();
        Swarms = new TrackerSwarms(Microsoft.Extensions.Options.Options.Create(Options), Time);
    }

    public TrackerOptions Options { get; }

    public FakeTimeProvider Time { get; } = new();

    public TrackerSwarms Swarms { get; }

    public Peer Connect(string name) => new(this, name);

    /// <summary>A 20-character id made from a short name.</summary>
    public static string Id(string name) => name.PadRight(TrackerIds.Length, '_');

    internal sealed class Peer : ITrackerSink
    {
        private readonly TrackerHarness harness;

        public Peer(TrackerHarness harness, string name)
        {
            this.harness = harness;
            PeerId = Id(name);
            Connection = new TrackerConnection(name, this);
        }

        public string PeerId { get; }

        public TrackerConnection Connection { get; }

        public List<JsonObject> Received { get; } = [];

        public void Send(byte[] frame) => Received.Add(JsonNode.Parse(frame)!.AsObject());

        /// <summary>Sends <paramref name="json"/> as this connection would, through the reader; false if it was refused (the failure is in <see cref="Received"/>).</summary>
        public bool Request(string json)
        {
            if (!TrackerRequestReader.TryRead(Encoding.UTF8.GetBytes(json), harness.Options.MaxOffersPerAnnounce, harness.Options.MaxScrapeInfoHashes, out var request, out var failure))
            {
                Received.Add(JsonNode.Parse(TrackerFrames.Failure(failure))!.AsObject());
                return false;
            }

            var output = new List<Outgoing>();
            harness.Swarms.Handle(Connection, request!, output);
            foreach (var (to, frame) in output)
            {
                to.Sink.Send(frame);
            }

            return true;
        }

        public bool Announce(string infoHash, int offers = 0, string? peerId = null, string? extra = null)
        {
            var offerList = string.Join(",", Enumerable.Range(0, offers).Select(i =>
                $$$"""{"offer_id":"{{{Id($"{PeerId[..4]}o{i}")}}}","offer":{"type":"offer","sdp":"sdp {{{i}}} of {{{PeerId.TrimEnd('_')}}}"}}"""));
            return Request($$"""{"action":"announce","info_hash":"{{infoHash}}","peer_id":"{{peerId ?? PeerId}}","numwant":{{offers}},"offers":[{{offerList}}]{{extra}}}""");
        }

        public bool Answer(string infoHash, string toPeerId, string offerId, string sdp = "answer") =>
            Request($$$"""{"action":"announce","info_hash":"{{{infoHash}}}","peer_id":"{{{PeerId}}}","to_peer_id":"{{{toPeerId}}}","offer_id":"{{{offerId}}}","answer":{"type":"answer","sdp":"{{{sdp}}}"}}""");

        public List<JsonObject> Offers => Received.Where(m => m.ContainsKey("offer")).ToList();

        public List<JsonObject> Answers => Received.Where(m => m.ContainsKey("answer")).ToList();

        public List<JsonObject> Failures => Received.Where(m => m.ContainsKey("failure reason")).ToList();
    }
}
