using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Parley.Server.Hosting;

/// <summary>Serves the browser app from <c>web/</c> beside the binary, with headers that lock it down.</summary>
internal static class WebApp
{
    /// <summary>The app's files, copied next to the binary at build time.</summary>
    public static string RootPath => Path.Combine(AppContext.BaseDirectory, "web");

    /// <summary>Binds and checks <see cref="WebOptions"/> (<c>Web:Trackers</c>).</summary>
    public static IServiceCollection AddParleyWebApp(this IServiceCollection services)
    {
        services.AddOptions<WebOptions>().BindConfiguration(WebOptions.SectionName)
            .Validate(WebOptions.TrackersAreValid, "Web:Trackers: each tracker must be an absolute ws:// or wss:// URL.")
            .ValidateOnStart();
        return services;
    }

    // The page loads only its own scripts and styles and talks only to its own origin (CSP Level 3: 'self'
    // covers ws:/wss: to the same host), plus the WebTorrent trackers of Web:Trackers. Remote audio plays from
    // MediaStreams, which CSP does not govern.
    private static string ContentSecurityPolicy(WebOptions options) =>
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
        $"connect-src {string.Join(' ', options.TrackerSources().Prepend("'self'"))}; " +
        "media-src 'self' blob: mediastream:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static WebApplication UseParleyWebApp(this WebApplication app)
    {
        var contentSecurityPolicy = ContentSecurityPolicy(app.Services.GetRequiredService<IOptions<WebOptions>>().Value);
        app.UseWebSockets();
        app.Use((context, next) =>
        {
            var headers = context.Response.Headers;
            headers[HeaderNames.XContentTypeOptions] = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            headers[HeaderNames.XFrameOptions] = "DENY";
            headers["Permissions-Policy"] = "microphone=(self), camera=(), geolocation=()";
            headers[HeaderNames.ContentSecurityPolicy] = contentSecurityPolicy;
            return next(context);
        });
        app.UseDefaultFiles();
        app.UseStaticFiles(new StaticFileOptions
        {
            OnPrepareResponse = static context =>
                context.Context.Response.Headers[HeaderNames.CacheControl] = "no-cache",
        });
        return app;
    }
}
