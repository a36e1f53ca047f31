using Microsoft.Extensions.Hosting;

namespace Parley.Turn.Sockets;

/// <summary>Deletes expired allocations (and closes their relay sockets) every few seconds, on <see cref="TimeProvider"/> time.</summary>
internal sealed class TurnSweeper(TurnServer server) : BackgroundService
{
    /// <summary>Sweep period.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!server.Options.Enabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(Period, server.Time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                server.Allocations.RemoveExpired(server.Time.GetTimestamp());
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
