using System.ComponentModel.DataAnnotations;

namespace Parley.Compat.LiveKit.Webhooks;

/// <summary>
/// The <c>Webhooks</c> section: where Parley posts LiveKit-format webhooks, and the bounds of their delivery. Off
/// unless <see cref="Urls"/> is set; needs token mode, since every webhook is signed with an <c>Auth:Keys</c> secret.
/// </summary>
public sealed class WebhookOptions
{
    public const string SectionName = "Webhooks";

    /// <summary>Absolute http or https URLs that receive every event. Defaults to none (webhooks off).</summary>
    public List<string> Urls { get; } = [];

    /// <summary>
    /// The <c>Auth:Keys</c> key whose secret signs the webhooks (the JWT's <c>iss</c>, as LiveKit's
    /// <c>WebhookReceiver</c> expects). Required when <see cref="Urls"/> is set. Defaults to none.
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>Attempts to deliver one event to one URL, the first included. Defaults to 4.</summary>
    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 4;

    /// <summary>
    /// Seconds after an event happened past which it is no longer attempted (a later attempt would tell the app
    /// something stale); it is dropped with a log line. Defaults to 30.
    /// </summary>
    [Range(1, 3600)]
    public int MaxAgeSeconds { get; set; } = 30;

    /// <summary>
    /// Events waiting or in delivery for one URL, all rooms together; a new event past this is dropped with a log
    /// line, so a dead receiver cannot grow memory. Defaults to 200.
    /// </summary>
    [Range(1, 100_000)]
    public int MaxQueuedPerUrl { get; set; } = 200;

    /// <summary>Seconds one attempt may take before it counts as failed. Defaults to 5.</summary>
    [Range(1, 300)]
    public int TimeoutSeconds { get; set; } = 5;
}
