using System.Net;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using Parley.Signaling;
using Parley.Turn;

namespace Parley.Server.Hosting;

/// <summary>
/// OpenTelemetry metrics in Prometheus text on <c>/metrics</c>: Parley's meters (<see cref="SignalingMetrics"/>,
/// <see cref="TurnMetrics"/>), the runtime's (<c>System.Runtime</c>: GC, heap, thread pool, CPU) and ASP.NET Core's
/// (<c>http.server.*</c>, <c>kestrel.*</c>), all under OpenTelemetry's semantic-convention names. Who may read it is
/// <c>Server:Metrics</c>: loopback only by default (a request forwarded by a reverse proxy on the same machine is
/// refused too), any address, or off (no endpoint and nothing collected).
/// </summary>
internal static class MetricsEndpoint
{
    public const string Path = "/metrics";

    /// <summary>Attribute sets kept per instrument; more are folded into one overflow point by the SDK.</summary>
    private const int CardinalityLimit = 200;

    /// <summary>The meters exported, besides Parley's own.</summary>
    private static readonly string[] FrameworkMeters =
        ["System.Runtime", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.Http.Connections"];

    public static IServiceCollection AddParleyMetrics(this IServiceCollection services, IConfiguration configuration)
    {
        if (Access(configuration) == MetricsAccess.Off)
        {
            return services;
        }

        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(SignalingMetrics.MeterName, TurnMetrics.MeterName)
            .AddMeter(FrameworkMeters)
            // Parley's instruments have a few dozen attribute sets at most; the SDK's default of 2,000 points
            // preallocated per instrument costs megabytes of idle memory for nothing.
            .AddView(static _ => new MetricStreamConfiguration { CardinalityLimit = CardinalityLimit })
            .AddPrometheusExporter());
        return services;
    }

    public static WebApplication UseParleyMetrics(this WebApplication app)
    {
        var access = app.Services.GetRequiredService<IOptions<ServerOptions>>().Value.Metrics;
        if (access == MetricsAccess.Off)
        {
            return app;
        }

        if (access == MetricsAccess.Loopback)
        {
            app.Use(static (context, next) =>
            {
                if (!context.Request.Path.Equals(Path, StringComparison.OrdinalIgnoreCase) || IsLocal(context))
                {
                    return next(context);
                }

                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return context.Response.WriteAsync("/metrics is served to this machine only (Server:Metrics=Loopback; docs/configuration.md)\n");
            });
        }

        app.UseOpenTelemetryPrometheusScrapingEndpoint(Path);
        return app;
    }

    /// <summary>From this machine, and not forwarded by a proxy on it (whose clients are elsewhere).</summary>
    internal static bool IsLocal(HttpContext context) =>
        context.Connection.RemoteIpAddress is { } address
        && IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address)
        && !context.Request.Headers.ContainsKey("X-Forwarded-For")
        && !context.Request.Headers.ContainsKey("Forwarded");

    private static MetricsAccess Access(IConfiguration configuration) =>
        Enum.TryParse<MetricsAccess>(configuration[$"{ServerOptions.SectionName}:{nameof(ServerOptions.Metrics)}"], ignoreCase: true, out var access)
            ? access
            : new ServerOptions().Metrics;
}
