using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Parley.Scale;
using Parley.Turn;

namespace Parley.Server.Hosting;

internal static class HealthEndpoint
{
    /// <summary>
    /// <c>/healthz</c> (liveness): 200 "ok" while the server is serving; for load balancers and probes. With several nodes
    /// a second line says whether Redis is reachable (a node without Redis still serves its own rooms: it stays live).
    /// <c>/readyz</c> (readiness): 200 "ready" once the host has started, its HTTP listeners are bound and TURN (when
    /// enabled) has its UDP listener bound and an address to relay from, and Redis (when configured) has not been unreachable
    /// for longer than <c>Redis:ReadinessTimeoutSeconds</c>; else 503 with the reason, one line. While
    /// stopping (SIGTERM) it answers 503, so a load balancer sends no new client before goaway sends the old ones away.
    /// </summary>
    public static IEndpointRouteBuilder MapParleyHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/healthz", static (IServiceProvider services) =>
            Results.Text(services.GetService<RedisHealth>() is { } redis ? $"ok\n{redis.Describe()}\n" : "ok\n"));
        endpoints.MapGet("/readyz", static (IHostApplicationLifetime lifetime, IServer server, TurnReadiness turn, IServiceProvider services) =>
            (NotReadyReason(lifetime, server, turn) ?? services.GetService<RedisHealth>()?.NotReadyReason()) is { } reason
                ? Results.Text($"not ready: {reason}\n", statusCode: StatusCodes.Status503ServiceUnavailable)
                : Results.Text("ready\n"));
        return endpoints;
    }

    private static string? NotReadyReason(IHostApplicationLifetime lifetime, IServer server, TurnReadiness turn)
    {
        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            return "stopping";
        }

        if (!lifetime.ApplicationStarted.IsCancellationRequested)
        {
            return "starting";
        }

        if (server.Features.Get<IServerAddressesFeature>()?.Addresses is not { Count: > 0 })
        {
            return "no HTTP listener is bound";
        }

        return turn.NotReadyReason();
    }
}
