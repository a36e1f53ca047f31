using System.Diagnostics.Metrics;
using System.Net;
using Parley.Stun;
using Parley.Stun.Attributes;
using Parley.Tests.Shared;
using Parley.Turn.Relay;

namespace Parley.Turn.Tests;

public class HotPathTests
{
    [Fact]
    public void Relaying_channel_data_both_ways_allocates_nothing()
    {
        var h = new HandlerHarness();
        TestClient client = h.NewClient();
        client.Allocate();
        var peer = new TransportAddress(IPAddress.Parse("8.8.8.8"), 5000);
        Assert.Equal(StunClass.SuccessResponse, client.Request(StunMethod.ChannelBind, new ChannelNumber(0x4001), new XorPeerAddress(peer)).Class);
        FakeRelay relay = h.Relays.Created[0];
        relay.Record = false;
        h.Client.Record = false;
        Allocation allocation = relay.Allocation!;
        byte[] frame = new byte[4 + 160];
        ChannelData.TryWrite(frame, 0x4001, new byte[160], pad: false, out _, out _);
        byte[] fromPeer = new byte[4 + 160 + 4];
        var response = new byte[TurnRequestHandler.MaxResponseLength];
        FiveTuple tuple = client.Tuple;

        AllocationRounds.AssertSteadyStateAllocatesNothing(() =>
        {
            for (int i = 0; i < 100; i++)
            {
                h.Handler.HandleClientPacket(frame, tuple, h.Client, response);
                h.Handler.OnPeerData(allocation, peer, fromPeer, 4, 160);
            }
        });
        Assert.Equal(1100, relay.Count);
        Assert.Equal(1100, h.Client.Count);
    }

    [Fact]
    public void Relaying_with_its_metrics_listened_to_allocates_nothing_and_counts_every_packet()
    {
        using var meters = new TestMeterFactory();
        var metrics = new TurnMetrics(meters);
        long packets = 0;
        long bytes = 0;
        using var listener = new MeterListener
        {
            // As an exporter does: every instrument of the meter, each measurement with its tags. Only this test's
            // meter: a listener hears every meter of that name in the process, and the other test classes relaying
            // at the same time (xUnit runs them in parallel) made this count 3 packets too many in one run of CI.
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == TurnMetrics.MeterName && meters.Made(instrument.Meter))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (instrument.Name == "parley.turn.relay.packets" && tags.Length == 1)
            {
                packets += value;
            }
            else if (instrument.Name == "parley.turn.relay.io")
            {
                bytes += value;
            }
        });
        listener.Start();
        var h = new HandlerHarness(metrics: metrics);
        TestClient client = h.NewClient();
        client.Allocate();
        var peer = new TransportAddress(IPAddress.Parse("8.8.8.8"), 5000);
        Assert.Equal(StunClass.SuccessResponse, client.Request(StunMethod.ChannelBind, new ChannelNumber(0x4001), new XorPeerAddress(peer)).Class);
        FakeRelay relay = h.Relays.Created[0];
        relay.Record = false;
        h.Client.Record = false;
        Allocation allocation = relay.Allocation!;
        byte[] frame = new byte[4 + 160];
        ChannelData.TryWrite(frame, 0x4001, new byte[160], pad: false, out _, out _);
        byte[] fromPeer = new byte[4 + 160 + 4];
        var response = new byte[TurnRequestHandler.MaxResponseLength];
        FiveTuple tuple = client.Tuple;

        AllocationRounds.AssertSteadyStateAllocatesNothing(() =>
        {
            for (int i = 0; i < 100; i++)
            {
                h.Handler.HandleClientPacket(frame, tuple, h.Client, response);
                h.Handler.OnPeerData(allocation, peer, fromPeer, 4, 160);
            }
        });
        Assert.Equal(2 * relay.Count, packets); // to the peer and back, as many each way
        Assert.Equal(2 * 160 * relay.Count, bytes);
    }

    private sealed class TestMeterFactory : IMeterFactory
    {
        private readonly List<Meter> meters = [];

        public Meter Create(MeterOptions options)
        {
            var meter = new Meter(options);
            meters.Add(meter);
            return meter;
        }

        /// <summary>Whether this factory made <paramref name="meter"/>.</summary>
        public bool Made(Meter meter) => meters.Contains(meter);

        public void Dispose() => meters.ForEach(meter => meter.Dispose());
    }
}
