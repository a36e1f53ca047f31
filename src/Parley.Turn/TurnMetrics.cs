using System.Diagnostics.Metrics;
using System.Globalization;
using Parley.Stun;
using Parley.Turn.Relay;

namespace Parley.Turn;

/// <summary>
/// The TURN server's instruments (meter <c>Parley.Turn</c>), exported on <c>/metrics</c> by the host. Allocations,
/// permissions and channels are read when a scrape asks (nothing is counted on their paths); relayed packets and bytes
/// are counted per packet with a direction tag made once, so the relay path allocates and boxes nothing.
/// </summary>
public sealed class TurnMetrics
{
    public const string MeterName = "Parley.Turn";

    /// <summary>For handlers made without a host (unit tests): a meter of its own that nothing listens to.</summary>
    internal static readonly TurnMetrics Unobserved = new(new Meter(MeterName + ".Unobserved"));

    private static readonly KeyValuePair<string, object?> ToPeer = new("parley.turn.relay.direction", "to_peer");
    private static readonly KeyValuePair<string, object?> ToClient = new("parley.turn.relay.direction", "to_client");

    /// <summary>The STUN error codes as strings (300 to 699), made once each as they first occur.</summary>
    private static readonly string?[] CodeTexts = new string?[400];

    private readonly Meter meter;
    private readonly Counter<long> packets;
    private readonly Counter<long> bytes;
    private readonly Counter<long> errors;

    public TurnMetrics(IMeterFactory meters)
        : this(meters?.Create(MeterName) ?? throw new ArgumentNullException(nameof(meters)))
    {
    }

    private TurnMetrics(Meter meter)
    {
        this.meter = meter;
        packets = meter.CreateCounter<long>("parley.turn.relay.packets", "{packet}", "Packets relayed, by parley.turn.relay.direction (to_peer, to_client).");
        bytes = meter.CreateCounter<long>("parley.turn.relay.io", "By", "Application bytes relayed (without TURN framing), by parley.turn.relay.direction.");
        errors = meter.CreateCounter<long>("parley.turn.errors", "{response}", "STUN/TURN error responses sent, by error.type (the STUN error code: 401, 438, 486, 508...).");
    }

    /// <summary>Reads the live counts of <paramref name="allocations"/> at each scrape.</summary>
    internal void Observe(AllocationTable allocations)
    {
        meter.CreateObservableUpDownCounter("parley.turn.allocations", () => allocations.Count, "{allocation}", "Live TURN allocations.");
        meter.CreateObservableUpDownCounter("parley.turn.permissions", () => allocations.All.Sum(allocation => allocation.PermissionCount), "{permission}", "Permissions installed on live allocations.");
        meter.CreateObservableUpDownCounter("parley.turn.channels", () => allocations.All.Sum(allocation => allocation.ChannelCount), "{channel}", "Channels bound on live allocations.");
    }

    internal void RelayedToPeer(int length)
    {
        packets.Add(1, ToPeer);
        bytes.Add(length, ToPeer);
    }

    internal void RelayedToClient(int length)
    {
        packets.Add(1, ToClient);
        bytes.Add(length, ToClient);
    }

    internal void Error(StunErrorCode code)
    {
        var number = (int)code;
        var text = number is >= 300 and < 700
            ? CodeTexts[number - 300] ??= number.ToString(CultureInfo.InvariantCulture)
            : number.ToString(CultureInfo.InvariantCulture);
        errors.Add(1, new KeyValuePair<string, object?>("error.type", text));
    }
}
