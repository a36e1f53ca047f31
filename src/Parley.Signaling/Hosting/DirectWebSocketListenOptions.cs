using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Parley.Signaling.Sessions;
using Parley.Signaling.Transports.Direct;

namespace Parley.Signaling.Hosting;

public static class DirectWebSocketListenOptions
{
    /// <summary>
    /// Every endpoint Kestrel listens on first offers
    /// its connections to <see cref="DirectWebSocketMiddleware"/>, which passes them all on when <see cref="SignalingOptions.DirectWebSocket"/> is false. It runs before TLS, so an HTTPS connection (whose
    /// first bytes are a TLS record) goes on to Kestrel unchanged.
    /// </summary>
    public static IServiceCollection AddParleyDirectWebSocket(this IServiceCollection services)
    {
        services.AddOptions<KestrelServerOptions>().Configure<IServiceProvider>((kestrel, provider) =>
        {
            // Options are not read here: Kestrel's are built before the start-up check reports a bad value in one line
            // (CheckedBuild), so the middleware reads Signaling:DirectWebSocket at its first connection instead.
            var logger = provider.GetRequiredService<ILogger<SignalingServer>>();
            var server = new Lazy<SignalingServer>(provider.GetRequiredService<SignalingServer>);
            kestrel.ConfigureEndpointDefaults(listen => listen.Use(next =>
                new DirectWebSocketMiddleware(next, () => server.Value, kestrel.Limits.RequestHeadersTimeout, logger).OnConnectedAsync));
        });
        return services;
    }
}
