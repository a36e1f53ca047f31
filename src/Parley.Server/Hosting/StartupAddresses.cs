using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Parley.Server.Hosting;

internal static partial class StartupAddresses
{
    /// <summary>Once listening, logs the links to open in a browser.</summary>
    public static WebApplication LogParleyAddresses(this WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Parley");
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            foreach (var address in addresses)
            {
                var link = BrowserLink(address);
                Ready(logger, link + "/?room=lobby");
                if (!IsLoopbackOrHttps(address))
                {
                    InsecureOrigin(logger, address);
                }
            }
        });
        return app;
    }

    /// <summary>Turns a listening address (maybe <c>http://[::]:8080</c>) into one a browser can open.</summary>
    internal static string BrowserLink(string address)
    {
        if (!Uri.TryCreate(address.Replace("://+", "://localhost").Replace("://*", "://localhost"), UriKind.Absolute, out var uri))
        {
            return address;
        }

        var host = IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && (ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any))
            ? "localhost"
            : uri.Host;
        return $"{uri.Scheme}://{host}:{uri.Port}";
    }

    // Browsers give a page the microphone only in a secure context: https, or http on localhost.
    internal static bool IsLoopbackOrHttps(string address)
    {
        if (address.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri))
        {
            return false; // http://+:80 and http://*:80 listen on every interface.
        }

        return uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
    }

    [LoggerMessage(1, LogLevel.Information, "Parley is ready: open {Link} in a browser, or share it to talk")]
    private static partial void Ready(ILogger logger, string link);

    [LoggerMessage(2, LogLevel.Warning, "Listening on {Address} over plain http: browsers on other machines get no microphone without HTTPS (see docs/configuration.md)")]
    private static partial void InsecureOrigin(ILogger logger, string address);
}
