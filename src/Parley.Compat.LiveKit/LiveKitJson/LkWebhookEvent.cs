using System.Text.Json.Serialization;

namespace Parley.Compat.LiveKit.LiveKitJson;

/// <summary>
/// LiveKit's <c>WebhookEvent</c> (livekit/protocol <c>livekit_webhook.proto</c>): the body of every webhook, which
/// <c>WebhookReceiver</c> of the LiveKit server SDKs parses after checking its signature.
/// </summary>
internal sealed class LkWebhookEvent
{
    /// <summary>One of <see cref="Webhooks.WebhookEventNames"/>.</summary>
    public required string Event { get; init; }

    public LkRoom? Room { get; init; }

    public LkParticipantInfo? Participant { get; init; }

    /// <summary>The participant's microphone, in <c>participant_muted</c>.</summary>
    public LkTrackInfo? Track { get; init; }

    /// <summary>"EV_" and 12 random characters: unique, for the receiver to drop a repeated delivery.</summary>
    public required string Id { get; init; }

    /// <summary>Unix seconds (int64, a string in protojson).</summary>
    [JsonNumberHandling(JsonNumberHandling.WriteAsString | JsonNumberHandling.AllowReadingFromString)]
    public long CreatedAt { get; init; }
}
