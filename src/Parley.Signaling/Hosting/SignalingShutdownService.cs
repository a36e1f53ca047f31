using Microsoft.Extensions.Hosting;
using Parley.Signaling.Sessions;

namespace Parley.Signaling.Hosting;

/// <summary>
/// Graceful shutdown (SIGTERM, Ctrl+C, host stop): as soon as stopping begins, every client is told to go
/// and come back (<c>goaway</c>, close 1012); stopping then waits, within the host's shutdown timeout, for the
/// connections to finish sending what they had queued.
/// </summary>
internal sealed class SignalingShutdownService(SignalingServer server, IHostApplicationLifetime lifetime) : IHostedService
{
    private CancellationTokenRegistration stopping;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // ApplicationStopping fires before any hosted service (Kestrel's included) is stopped, so the
        // WebSocket requests are already ending when Kestrel starts waiting for them.
        stopping = lifetime.ApplicationStopping.Register(static state => ((SignalingServer)state!).BeginShutdown(), server);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // The host fires ApplicationStopping before stopping any service, so shutdown has already begun.
        await stopping.DisposeAsync().ConfigureAwait(false);
        try
        {
            await server.WaitForSessionsAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The host's shutdown timeout ran out: the remaining connections are cut.
        }
    }
}
