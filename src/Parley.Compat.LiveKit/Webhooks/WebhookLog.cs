using Microsoft.Extensions.Logging;

namespace Parley.Compat.LiveKit.Webhooks;

/// <summary>Webhook log events, with stable ids 45xx. URLs appear without user information or query; bodies never.</summary>
internal static partial class WebhookLog
{
    [LoggerMessage(4500, LogLevel.Information, "Webhooks on: posting to {Count} URL(s), signed with the Auth:Keys key {ApiKey}")]
    public static partial void Started(ILogger logger, int count, string? apiKey);

    [LoggerMessage(4501, LogLevel.Information, "Webhook {Event} {Id} to Webhooks:Urls:{Index} ({Url}): attempt {Attempt} failed ({Failure}); retrying in {DelaySeconds} s")]
    public static partial void Retrying(ILogger logger, string @event, string id, int index, string url, int attempt, string failure, double delaySeconds);

    [LoggerMessage(4502, LogLevel.Warning, "Dropped webhook {Event} {Id} to Webhooks:Urls:{Index} ({Url}) after {Attempts} attempts (Webhooks:MaxAttempts): {Failure}")]
    public static partial void GaveUp(ILogger logger, string @event, string id, int index, string url, int attempts, string failure);

    [LoggerMessage(4503, LogLevel.Warning, "Dropped webhook {Event} {Id} to Webhooks:Urls:{Index} ({Url}): it would be older than Webhooks:MaxAgeSeconds ({MaxAgeSeconds} s) at its next attempt, after {Attempts} attempts ({Failure})")]
    public static partial void TooOld(ILogger logger, string @event, string id, int index, string url, int maxAgeSeconds, int attempts, string failure);

    [LoggerMessage(4504, LogLevel.Warning, "Webhooks:Urls:{Index} ({Url}) has {Max} events queued (Webhooks:MaxQueuedPerUrl): dropping new events until it catches up, starting with {Event} {Id}")]
    public static partial void QueueFull(ILogger logger, int index, string url, int max, string @event, string id);

    [LoggerMessage(4505, LogLevel.Warning, "Webhooks:Urls:{Index} ({Url}) takes events again; {Dropped} were dropped while its queue was full")]
    public static partial void QueueAcceptsAgain(ILogger logger, int index, string url, int dropped);
}
