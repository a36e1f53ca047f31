using System.Globalization;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Parley.Turn;

namespace Parley.Server.Hosting;

/// <summary>
/// HTTPS for the LAN (<c>Server:Https=auto</c>, <c>parley --https</c>) and certificates that reload when their
/// files change. Browsers give a page the microphone only over https (or on localhost), so a phone on the LAN needs it.
/// </summary>
internal static partial class HttpsSetup
{
    /// <summary>
    /// With <c>Server:Https=auto</c>: with no certificate configured (<c>Kestrel:Certificates:Default:Path</c>), makes or
    /// reuses a self-signed one (<see cref="SelfSignedCertificate"/>) and hands it to TURN over TLS too (as
    /// <c>Turn:CertificatePath</c>, unless that is set); with no URLs configured, listens on every interface, HTTP on
    /// 8080 and HTTPS on <c>Server:HttpsPort</c> (8443), else adds that HTTPS port to them. In any mode, a configured
    /// default certificate is served through <see cref="ReloadingCertificate"/>.
    /// </summary>
    public static WebApplicationBuilder UseParleyHttps(this WebApplicationBuilder builder, bool makeCertificate = true)
    {
        var configuration = builder.Configuration;
        var server = configuration.GetSection(ServerOptions.SectionName);
        // Read before the services exist, as the listeners are chosen now; a value that does not bind is reported by
        // the start-up check (CheckedBuild) before anything listens, and until then the default stands.
        var auto = Enum.TryParse<HttpsMode>(server[nameof(ServerOptions.Https)], ignoreCase: true, out var mode) && mode == HttpsMode.Auto;
        var httpsPort = int.TryParse(server[nameof(ServerOptions.HttpsPort)], NumberStyles.None, CultureInfo.InvariantCulture, out var port) ? port : new ServerOptions().HttpsPort;
        SelfSignedNotice? notice = null;
        if (auto)
        {
            if (makeCertificate && string.IsNullOrEmpty(configuration[DefaultCertificatePath]))
            {
                var dataPath = server[nameof(ServerOptions.DataPath)] is { Length: > 0 } configured ? configured : new ServerOptions().DataPath;
                var (certificatePath, keyPath) = SelfSignedCertificate.Ensure(Path.Combine(builder.Environment.ContentRootPath, dataPath), TimeProvider.System, out var created);
                var settings = new Dictionary<string, string?>
                {
                    [DefaultCertificatePath] = certificatePath,
                    [DefaultCertificateKeyPath] = keyPath,
                };
                configuration.AddInMemoryCollection(settings);
                notice = new SelfSignedNotice(certificatePath, created);
            }

            if (string.IsNullOrEmpty(configuration["urls"]) && string.IsNullOrEmpty(configuration["http_ports"])
                && string.IsNullOrEmpty(configuration["https_ports"]) && !configuration.GetSection("Kestrel:Endpoints").Exists())
            {
                builder.WebHost.UseUrls("http://*:8080", $"https://*:{httpsPort.ToString(CultureInfo.InvariantCulture)}");
            }
            else if (configuration["urls"] is { } urls && !urls.Contains("https://", StringComparison.OrdinalIgnoreCase))
            {
                builder.WebHost.UseUrls([.. urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), $"https://*:{httpsPort.ToString(CultureInfo.InvariantCulture)}"]);
            }
        }

        if (!string.IsNullOrEmpty(configuration[DefaultCertificatePath]))
        {
            builder.Services.AddSingleton(services => new ReloadingCertificate(
                "HTTPS",
                Path.GetFullPath(configuration[DefaultCertificatePath]!, builder.Environment.ContentRootPath),
                configuration[DefaultCertificateKeyPath] is { Length: > 0 } key ? Path.GetFullPath(key, builder.Environment.ContentRootPath) : null,
                configuration[DefaultCertificatePassword],
                TimeSpan.FromSeconds(services.GetRequiredService<IOptions<ServerOptions>>().Value.CertificateReloadSeconds),
                services.GetRequiredService<TimeProvider>(),
                services.GetRequiredService<ILogger<ReloadingCertificate>>()));
            builder.Services.AddOptions<KestrelServerOptions>().Configure<IServiceProvider>((kestrel, services) =>
            {
                var certificate = services.GetRequiredService<ReloadingCertificate>();
                kestrel.ConfigureHttpsDefaults(https => https.ServerCertificateSelector = (_, _) => certificate.Current);
            });
        }

        if (notice is not null)
        {
            builder.Services.AddSingleton(notice);
            builder.Services.AddHostedService<SelfSignedNoticeLog>();
        }

        return builder;
    }

    /// <summary>Kestrel's default certificate, which https URLs and (unless Turn:CertificatePath is set) TURN over TLS use.</summary>
    internal const string DefaultCertificatePath = "Kestrel:Certificates:Default:Path";

    internal const string DefaultCertificateKeyPath = "Kestrel:Certificates:Default:KeyPath";

    internal const string DefaultCertificatePassword = "Kestrel:Certificates:Default:Password";
}
