using System.Diagnostics.Metrics;
using Parley.Signaling.Rooms;
using Parley.Signaling.Sessions;

namespace Parley.Signaling;

/// <summary>
/// Signaling's instruments (meter <c>Parley.Signaling</c>), exported on <c>/metrics</c> by the host. Names follow
/// OpenTelemetry's conventions: dotted lower case, the unit apart (<c>By</c>, <c>{message}</c>), <c>error.type</c> and
/// <c>network.io.direction</c> as attribute names. Tag values are strings the server chose (a handler's type, an error
/// code), never the client's bytes, so their number is bounded; recording boxes nothing.
/// </summary>
public sealed class SignalingMetrics
{
    public const string MeterName = "Parley.Signaling";

    private static readonly KeyValuePair<string, object?> Receive = new("network.io.direction", "receive");
    private static readonly KeyValuePair<string, object?> Transmit = new("network.io.direction", "transmit");

    private readonly Counter<long> messages;
    private readonly Counter<long> bytes;
    private readonly Counter<long> joins;
    private readonly Counter<long> refusals;
    private readonly Counter<long> errors;
    private readonly Counter<long> drops;

    public SignalingMetrics(IMeterFactory meters, RoomRegistry rooms, ConnectionCounter connections)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        meter.CreateObservableUpDownCounter("parley.signaling.connections", () => connections.Count, "{connection}", "Open signaling WebSocket connections.");
        meter.CreateObservableUpDownCounter("parley.signaling.rooms", () => rooms.RoomCount, "{room}", "Open rooms.");
        meter.CreateObservableUpDownCounter("parley.signaling.participants", () => rooms.All().Sum(room => room.Count), "{participant}", "Participants in rooms, away ones (waiting to resume) included.");
        joins = meter.CreateCounter<long>("parley.signaling.joins", "{join}", "Joins admitted into a room.");
        refusals = meter.CreateCounter<long>("parley.signaling.join.refusals", "{join}", "Joins and resumes refused, by error.type (the error code sent).");
        messages = meter.CreateCounter<long>("parley.signaling.messages", "{message}", "Signaling messages: received by parley.signaling.message.type, and transmitted.");
        bytes = meter.CreateCounter<long>("parley.signaling.io", "By", "Bytes of signaling messages, by network.io.direction (and type, received).");
        errors = meter.CreateCounter<long>("parley.signaling.errors", "{error}", "Errors sent to clients, by error.type (the error code).");
        drops = meter.CreateCounter<long>("parley.signaling.send_queue.drops", "{connection}", "Connections dropped because their send queue was full (slow-consumer).");
    }

    /// <summary>A message a handler took, of that handler's type.</summary>
    public void MessageReceived(string type, int length)
    {
        var typeTag = new KeyValuePair<string, object?>("parley.signaling.message.type", type);
        messages.Add(1, Receive, typeTag);
        bytes.Add(length, Receive, typeTag);
    }

    /// <summary>A message written to a client's socket.</summary>
    public void MessageSent(int length)
    {
        messages.Add(1, Transmit);
        bytes.Add(length, Transmit);
    }

    public void Joined() => joins.Add(1);

    /// <summary>An error sent for a refused message (<paramref name="refType"/>) or before a close; refusals of joins and resumes count apart too.</summary>
    public void Error(string code, string? refType)
    {
        var tag = new KeyValuePair<string, object?>("error.type", code);
        errors.Add(1, tag);
        if (refType is "join" or "resume")
        {
            refusals.Add(1, tag);
        }
    }

    public void SendQueueDropped() => drops.Add(1);
}
