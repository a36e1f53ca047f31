using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Parley.Turn.Sockets;

/// <summary>
/// Finds the certificate of the TLS listener: <see cref="TurnOptions.CertificatePath"/> when set, otherwise the
/// HTTPS default certificate, read from the same configuration keys Kestrel reads
/// (<c>Kestrel:Certificates:Default:Path</c> with <c>:Password</c> for PFX, or with <c>:KeyPath</c> for PEM),
/// without depending on Kestrel; and opens it as a <see cref="ReloadingCertificate"/>, which HTTPS uses too, so a
/// renewal reaches new TURN-over-TLS connections as it reaches new HTTPS ones.
/// </summary>
internal static class TurnCertificate
{
    /// <summary>The Kestrel configuration section of the default HTTPS certificate.</summary>
    public const string KestrelDefaultSection = "Kestrel:Certificates:Default";

    /// <summary>The configured certificate, reloaded when its files change, or null when none is configured.</summary>
    /// <exception cref="InvalidOperationException">A certificate is configured but cannot be loaded.</exception>
    public static ReloadingCertificate? Open(TurnOptions options, IConfiguration configuration, string? contentRoot,
        TimeProvider time, ILogger<ReloadingCertificate> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(configuration);
        string? path = options.CertificatePath;
        string? keyPath = options.CertificateKeyPath;
        string? password = options.CertificatePassword;
        string source = "Turn:CertificatePath";
        if (string.IsNullOrEmpty(path))
        {
            IConfigurationSection kestrel = configuration.GetSection(KestrelDefaultSection);
            path = kestrel["Path"];
            keyPath = kestrel["KeyPath"];
            password = kestrel["Password"];
            source = KestrelDefaultSection + ":Path";
        }

        if (string.IsNullOrEmpty(path))
        {
            return null;
        }

        path = Resolve(path, contentRoot);
        try
        {
            return new ReloadingCertificate("TURN over TLS", path, string.IsNullOrEmpty(keyPath) ? null : Resolve(keyPath, contentRoot),
                password, TimeSpan.FromSeconds(options.CertificateReloadSeconds), time, logger);
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
        {
            // Never echo the password.
            throw new InvalidOperationException($"The TURN TLS certificate from {source} ('{path}') cannot be loaded: {ex.Message}", ex);
        }
    }

    private static string Resolve(string path, string? contentRoot) =>
        Path.IsPathRooted(path) || string.IsNullOrEmpty(contentRoot) ? path : Path.Combine(contentRoot, path);
}
