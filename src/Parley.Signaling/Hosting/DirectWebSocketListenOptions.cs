using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Parley.Signaling.Sessions;
using Parley.Signaling.Transports.Direct;

namespace Parley.Signaling.Hosting;

public static class DirectWebSocketListenOptions
{
    /// <summary>
    /// With <see cref="SignalingOptions.DirectWebSocket"/> (default true): every endpoint Kestrel listens on first offers
    /// its connections to <see cref="DirectWebSocketMiddleware"/>. It runs before TLS, so an HTTPS connection (whose
    /// first bytes are a TLS record) goes on to Kestrel unchanged.
    /// </summary>
    public static IServiceCollection AddParleyDirectWebSocket(this IServiceCollection services)
    {
        services.AddOptions<KestrelServerOptions>().Configure<IServiceProvider>((kestrel, provider) =>
        {
            if (!provider.GetRequiredService<IOptions<SignalingOptions>>().Value.DirectWebSocket)
            {
                return;
            }

            var logger = provider.GetRequiredService<ILogger<SignalingServer>>();
            var server = new Lazy<SignalingServer>(provider.GetRequiredService<SignalingServer>);
            kestrel.ConfigureEndpointDefaults(listen => listen.Use(next =>
                new DirectWebSocketMiddleware(next, () => server.Value, kestrel.Limits.RequestHeadersTimeout, logger).OnConnectedAsync));
        });
        return services;
    }
}
