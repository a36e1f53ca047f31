using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Parley.Compat.Tracker.Swarms;

namespace Parley.Compat.Tracker.Hosting;

/// <summary>
/// Every 10 seconds, drops peers that stopped announcing and offers past their answer window, so a dead peer leaves
/// within <see cref="TrackerOptions.PeerTimeoutSeconds"/> plus 10 s.
/// </summary>
internal sealed class TrackerSweeper(TrackerSwarms swarms, TimeProvider time, ILogger<TrackerSweeper> logger) : BackgroundService
{
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                if (swarms.Sweep() is > 0 and var count)
                {
                    TrackerLog.Swept(logger, count);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
