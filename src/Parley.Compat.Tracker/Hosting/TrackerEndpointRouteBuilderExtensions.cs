using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Parley.Access;
using Parley.Compat.Tracker.Sessions;
using Parley.Compat.Tracker.Swarms;
using Parley.Signaling.Sessions;

namespace Parley.Compat.Tracker.Hosting;

public static class TrackerEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the WebTorrent tracker's WebSocket at <see cref="TrackerOptions.Path"/> (docs/protocol.md, "WebTorrent
    /// tracker") when it is enabled: by default in open mode, and in token mode only with <c>Tracker:Enabled=true</c>.
    /// </summary>
    public static IEndpointRouteBuilder MapParleyTracker(this IEndpointRouteBuilder endpoints)
    {
        var services = endpoints.ServiceProvider;
        var options = services.GetRequiredService<IOptions<TrackerOptions>>().Value;
        var tokenMode = services.GetRequiredService<IOptions<AuthOptions>>().Value.TokenMode;
        var logger = services.GetRequiredService<ILogger<TrackerSession>>();
        if (!(options.Enabled ?? !tokenMode))
        {
            TrackerLog.Disabled(logger, options.Enabled is null ? "token mode; set Tracker:Enabled=true to serve it" : "Tracker:Enabled=false");
            return endpoints;
        }

        var swarms = services.GetRequiredService<TrackerSwarms>();
        var time = services.GetRequiredService<TimeProvider>();
        var connections = new ConnectionCounter(options.MaxConnections);
        var keepAlive = TimeSpan.FromSeconds(options.KeepAliveSeconds);
        var acceptContext = keepAlive > TimeSpan.Zero
            ? new WebSocketAcceptContext { KeepAliveInterval = keepAlive, KeepAliveTimeout = keepAlive }
            : new WebSocketAcceptContext { KeepAliveInterval = TimeSpan.Zero };
        TrackerLog.Enabled(logger, options.Path, options.IntervalSeconds, options.PeerTimeoutSeconds);
        endpoints.Map(options.Path, async context =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                context.Response.StatusCode = StatusCodes.Status426UpgradeRequired;
                context.Response.Headers.Upgrade = "websocket";
                await context.Response.WriteAsync("This is Parley's WebTorrent tracker (WebSocket only); see docs/protocol.md.\n").ConfigureAwait(false);
                return;
            }

            if (!connections.TryAcquire())
            {
                TrackerLog.Busy(logger, options.MaxConnections);
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                return;
            }

            try
            {
                using var socket = await context.WebSockets.AcceptWebSocketAsync(acceptContext).ConfigureAwait(false);
                using var session = new TrackerSession(socket, swarms, options, time, logger);
                await session.RunAsync(context.RequestAborted).ConfigureAwait(false);
            }
            finally
            {
                connections.Release();
            }
        });
        return endpoints;
    }
}
