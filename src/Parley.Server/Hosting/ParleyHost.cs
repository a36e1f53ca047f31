using Microsoft.Extensions.DependencyInjection.Extensions;
using Parley.Compat.LiveKit.Hosting;
using Parley.Compat.PeerJs.Hosting;
using Parley.Compat.Tracker.Hosting;
using Parley.Scale.Hosting;
using Parley.Signaling.Hosting;
using Parley.Turn;

namespace Parley.Server.Hosting;

/// <summary>The server: one <c>AddParleyX()</c> per feature, then one <c>MapParleyX()</c> per feature.</summary>
internal static class ParleyHost
{
    /// <summary>The builder with every feature's services and the configuration they read; nothing listens yet.</summary>
    /// <param name="forCheckOnly">For <c>check-config</c>: makes no file (no self-signed certificate).</param>
    public static WebApplicationBuilder CreateBuilder(string[] args, bool forCheckOnly = false)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, WebRootPath = WebApp.RootPath });
        builder.UseParleyHttps(makeCertificate: !forCheckOnly); // before the default URLs: auto listens on the LAN
        builder.UseParleyDefaultUrls();
        builder.UseParleyInlineScheduling();
        builder.Services.AddParleyTurn();
        builder.Services.AddParleyTurnIceServers();
        builder.Services.AddParleyScale(builder.Configuration); // before signaling: see AddParleyScale
        builder.Services.AddParleySignaling();
        builder.Services.AddParleyDirectWebSocket();
        builder.Services.AddParleyAccess();
        builder.Services.AddParleyTurnEviction();
        builder.Services.AddParleyTokenSafeLogging();
        builder.Services.AddParleyLiveKit();
        builder.Services.AddParleyTracker();
        builder.Services.AddParleyPeerJs();
        builder.Services.AddParleyWebApp();
        builder.Services.AddParleyMetrics(builder.Configuration);
        builder.Services.AddHostedService<StartupMemoryTrim>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddHostedService<IdleMemoryTrim>();
        return builder;
    }

    /// <summary>Builds the app (a configuration mistake ends the process here) and maps every feature's endpoints.</summary>
    public static WebApplication Build(WebApplicationBuilder builder)
    {
        var app = builder.BuildParley();
        app.UseParleyMetrics();
        app.UseParleyWebApp();
        app.MapParleyHealth();
        app.MapParleySignaling();
        app.MapParleyLiveKit();
        app.MapParleyTracker();
        app.MapParleyPeerJs();
        app.LogParleyAddresses();
        return app;
    }
}
