using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Parley.Compat.LiveKit.Webhooks;

/// <summary>
/// The queues between the rooms, which post events, and <see cref="WebhookDeliveryService"/>, which sends them: one
/// <see cref="WebhookTarget"/> per configured URL. Posting never waits: it takes a short lock per URL, and a lane that
/// needs a worker is handed over through an unbounded channel, which holds at most one entry per lane (so at most
/// <c>Webhooks:MaxQueuedPerUrl</c> per URL).
/// </summary>
internal sealed class WebhookOutbox
{
    private readonly Channel<WebhookLane> ready = Channel.CreateUnbounded<WebhookLane>(new() { SingleReader = true });

    public WebhookOutbox(IOptions<WebhookOptions> options, ILogger<WebhookOutbox> logger)
    {
        var settings = options.Value;
        Targets = settings.Urls
            .Select((url, index) => new WebhookTarget(index, new Uri(url, UriKind.Absolute), settings.MaxQueuedPerUrl, Schedule, logger))
            .ToArray();
    }

    public IReadOnlyList<WebhookTarget> Targets { get; }

    /// <summary>Lanes that have events and no worker yet.</summary>
    public ChannelReader<WebhookLane> Ready => ready.Reader;

    /// <summary>Queues the event for every URL.</summary>
    public void Post(WebhookMessage message)
    {
        foreach (var target in Targets)
        {
            target.Enqueue(message);
        }
    }

    private void Schedule(WebhookLane lane) => ready.Writer.TryWrite(lane); // unbounded: always succeeds
}
