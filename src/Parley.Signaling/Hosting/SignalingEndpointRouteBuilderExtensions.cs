using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Parley.Signaling.Sessions;

namespace Parley.Signaling.Hosting;

public static class SignalingEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the signaling WebSocket at <see cref="SignalingOptions.Path"/> and, unless switched off, signaling over
    /// HTTP at <see cref="Transports.Http.HttpSignalingOptions.Path"/> (docs/protocol.md).
    /// </summary>
    public static IEndpointConventionBuilder MapParleySignaling(this IEndpointRouteBuilder endpoints)
    {
        var server = endpoints.ServiceProvider.GetRequiredService<SignalingServer>();
        if (server.Options.Http.Enabled)
        {
            HttpSignalingEndpoints.Map(endpoints, server);
        }

        var logger = endpoints.ServiceProvider.GetRequiredService<ILogger<SignalingServer>>();
        var keepAlive = TimeSpan.FromSeconds(server.Options.KeepAliveSeconds);
        var acceptContext = keepAlive > TimeSpan.Zero
            ? new WebSocketAcceptContext { KeepAliveInterval = keepAlive, KeepAliveTimeout = keepAlive }
            : new WebSocketAcceptContext { KeepAliveInterval = TimeSpan.Zero };
        return endpoints.Map(server.Options.Path, async context =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                context.Response.StatusCode = StatusCodes.Status426UpgradeRequired;
                context.Response.Headers.Upgrade = "websocket";
                await context.Response.WriteAsync("This is Parley's signaling WebSocket; see docs/protocol.md.\n").ConfigureAwait(false);
                return;
            }

            var acquired = server.Connections.TryAcquire();
            try
            {
                using var socket = await context.WebSockets.AcceptWebSocketAsync(acceptContext).ConfigureAwait(false);
                if (!acquired)
                {
                    SignalingLog.ServerBusy(logger, server.Options.MaxConnections);
                    await SignalingServer.RefuseBusyAsync(socket, context.RequestAborted).ConfigureAwait(false);
                    return;
                }

                var origin = new SessionOrigin(
                    context.Request.Host.HasValue ? context.Request.Host.Host : null,
                    context.Connection.RemoteIpAddress,
                    context.Request.Query.TryGetValue("access_token", out var token) ? token.ToString() : null);
                await server.RunSessionAsync(socket, origin, context.RequestAborted).ConfigureAwait(false);
            }
            finally
            {
                if (acquired)
                {
                    server.Connections.Release();
                }
            }
        });
    }
}
