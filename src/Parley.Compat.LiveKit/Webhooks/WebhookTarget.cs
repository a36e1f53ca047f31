using Microsoft.Extensions.Logging;

namespace Parley.Compat.LiveKit.Webhooks;

/// <summary>
/// One webhook URL's queue: one ordered lane per room, so that one room's events arrive in order while another
/// room's are not held up by its retries. Bounded by <c>Webhooks:MaxQueuedPerUrl</c> events in all lanes together,
/// the one in delivery included: past it a new event is dropped (the newest, so that what a receiver gets of a room
/// is its history up to a point, without holes in the middle), with a log line when dropping starts and one with
/// the count when it stops.
/// </summary>
internal sealed class WebhookTarget
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, WebhookLane> lanes = new(StringComparer.OrdinalIgnoreCase);
    private readonly int maxQueued;
    private readonly Action<WebhookLane> schedule;
    private readonly ILogger logger;
    private int queued;
    private int dropped;

    /// <param name="schedule">Hands a lane that has become non-empty to the delivery worker.</param>
    public WebhookTarget(int index, Uri url, int maxQueued, Action<WebhookLane> schedule, ILogger logger)
    {
        Index = index;
        Url = url;
        this.maxQueued = maxQueued;
        this.schedule = schedule;
        this.logger = logger;
        // Without user information or query, either of which may hold a credential.
        DisplayName = $"{url.Scheme}://{url.Authority}{url.AbsolutePath}";
    }

    /// <summary>The URL's position in <c>Webhooks:Urls</c>.</summary>
    public int Index { get; }

    public Uri Url { get; }

    /// <summary>The URL as logs show it.</summary>
    public string DisplayName { get; }

    /// <summary>Events waiting or in delivery, all rooms together.</summary>
    public int Queued
    {
        get
        {
            lock (gate)
            {
                return queued;
            }
        }
    }

    /// <summary>Queues an event behind its room's earlier ones. Never blocks longer than a dictionary update.</summary>
    public void Enqueue(WebhookMessage message)
    {
        WebhookLane? toSchedule = null;
        bool full;
        int droppedCount;
        lock (gate)
        {
            full = queued >= maxQueued;
            if (full)
            {
                droppedCount = ++dropped;
            }
            else
            {
                droppedCount = dropped;
                dropped = 0;
                queued++;
                if (!lanes.TryGetValue(message.Room, out var lane))
                {
                    lane = new WebhookLane(this, message.Room);
                    lanes.Add(message.Room, lane);
                    toSchedule = lane;
                }

                lane.Messages.Enqueue(message);
            }
        }

        if (full)
        {
            if (droppedCount == 1)
            {
                WebhookLog.QueueFull(logger, Index, DisplayName, maxQueued, message.Event, message.Id);
            }

            return;
        }

        if (droppedCount > 0)
        {
            WebhookLog.QueueAcceptsAgain(logger, Index, DisplayName, droppedCount);
        }

        if (toSchedule is not null)
        {
            schedule(toSchedule);
        }
    }

    /// <summary>The lane's oldest event, which stays queued until <see cref="Complete"/>.</summary>
    public bool TryPeek(WebhookLane lane, out WebhookMessage message)
    {
        lock (gate)
        {
            return lane.Messages.TryPeek(out message!);
        }
    }

    /// <summary>
    /// Removes the lane's oldest event (delivered, or given up). False when the lane is then empty: it is gone, and
    /// the room's next event opens a new one.
    /// </summary>
    public bool Complete(WebhookLane lane)
    {
        lock (gate)
        {
            lane.Messages.Dequeue();
            queued--;
            if (lane.Messages.Count > 0)
            {
                return true;
            }

            lanes.Remove(lane.Room);
            return false;
        }
    }

    /// <summary>Drops a lane's events at shutdown.</summary>
    public void Abandon(WebhookLane lane)
    {
        lock (gate)
        {
            queued -= lane.Messages.Count;
            lane.Messages.Clear();
            lanes.Remove(lane.Room);
        }
    }
}

/// <summary>One room's events for one URL, in order; delivered by one task at a time.</summary>
internal sealed class WebhookLane(WebhookTarget target, string room)
{
    public WebhookTarget Target { get; } = target;

    public string Room { get; } = room;

    /// <summary>Guarded by the target's lock.</summary>
    public Queue<WebhookMessage> Messages { get; } = new();
}
