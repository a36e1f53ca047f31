using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Parley.Compat.LiveKit.Webhooks;

/// <summary>
/// Sends the queued webhooks: one task per lane (a room's events for one URL) while the lane has events, so rooms
/// interleave and a room's events keep their order. A failed attempt (no 2xx, no answer within
/// <c>Webhooks:TimeoutSeconds</c>) is retried after 1 s, 2 s, 4 s... (at most <see cref="MaxBackoff"/>), at most
/// <c>Webhooks:MaxAttempts</c> times and never later than <c>Webhooks:MaxAgeSeconds</c> after the event; then the event
/// is dropped with a log line and the lane goes on. As LiveKit's, delivery is best effort: events still queued when
/// the server stops are lost.
/// </summary>
internal sealed class WebhookDeliveryService(
    WebhookOutbox outbox,
    WebhookSender sender,
    IOptions<WebhookOptions> options,
    TimeProvider time,
    ILogger<WebhookDeliveryService> logger) : BackgroundService
{
    public static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(16);

    private readonly ConcurrentDictionary<Task, byte> running = new();

    /// <summary>The wait after failed attempt number <paramref name="attempt"/> (1-based): 1 s, 2 s, 4 s... capped.</summary>
    public static TimeSpan Backoff(int attempt) =>
        TimeSpan.FromSeconds(Math.Min(FirstBackoff.TotalSeconds * Math.Pow(2, attempt - 1), MaxBackoff.TotalSeconds));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (outbox.Targets.Count == 0)
        {
            return;
        }

        WebhookLog.Started(logger, outbox.Targets.Count, options.Value.ApiKey);
        try
        {
            await foreach (var lane in outbox.Ready.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                var drain = DrainAsync(lane, stoppingToken);
                running.TryAdd(drain, 0);
                _ = drain.ContinueWith(done => running.TryRemove(done, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await Task.WhenAll(running.Keys).ConfigureAwait(false);
    }

    private async Task DrainAsync(WebhookLane lane, CancellationToken stopping)
    {
        var target = lane.Target;
        try
        {
            while (target.TryPeek(lane, out var message))
            {
                await DeliverAsync(target, message, stopping).ConfigureAwait(false);
                if (!target.Complete(lane))
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            target.Abandon(lane);
        }
    }

    private async Task DeliverAsync(WebhookTarget target, WebhookMessage message, CancellationToken stopping)
    {
        var settings = options.Value;
        var deadline = message.CreatedAt + TimeSpan.FromSeconds(settings.MaxAgeSeconds);
        var timeout = TimeSpan.FromSeconds(settings.TimeoutSeconds);
        string? failure = null;
        for (var attempt = 1; ; attempt++)
        {
            var left = deadline - time.GetUtcNow();
            if (left <= TimeSpan.Zero)
            {
                // Waited behind the room's earlier events (or a retry) for too long.
                WebhookLog.TooOld(logger, message.Event, message.Id, target.Index, target.DisplayName, settings.MaxAgeSeconds, attempt - 1, failure ?? "never attempted");
                return;
            }

            failure = await sender.SendAsync(target.Url, message, left < timeout ? left : timeout, stopping).ConfigureAwait(false);
            if (failure is null)
            {
                return;
            }

            if (attempt >= settings.MaxAttempts)
            {
                WebhookLog.GaveUp(logger, message.Event, message.Id, target.Index, target.DisplayName, attempt, failure);
                return;
            }

            var wait = Backoff(attempt);
            if (time.GetUtcNow() + wait >= deadline)
            {
                WebhookLog.TooOld(logger, message.Event, message.Id, target.Index, target.DisplayName, settings.MaxAgeSeconds, attempt, failure);
                return;
            }

            WebhookLog.Retrying(logger, message.Event, message.Id, target.Index, target.DisplayName, attempt, failure, wait.TotalSeconds);
            await Task.Delay(wait, time, stopping).ConfigureAwait(false);
        }
    }
}
