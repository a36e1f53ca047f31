using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;

namespace Parley.Turn.Sockets;

/// <summary>
/// Finds the certificate of the TLS listener: <see cref="TurnOptions.CertificatePath"/> when set, otherwise the
/// HTTPS default certificate, read from the same configuration keys Kestrel reads
/// (<c>Kestrel:Certificates:Default:Path</c> with <c>:Password</c> for PFX, or with <c>:KeyPath</c> for PEM),
/// without depending on Kestrel.
/// </summary>
internal static class TurnCertificate
{
    /// <summary>The Kestrel configuration section of the default HTTPS certificate.</summary>
    public const string KestrelDefaultSection = "Kestrel:Certificates:Default";

    /// <summary>The configured certificate with its private key, or null when none is configured.</summary>
    /// <exception cref="InvalidOperationException">A certificate is configured but cannot be loaded.</exception>
    public static X509Certificate2? Load(TurnOptions options, IConfiguration configuration, string? contentRoot)
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
            X509Certificate2 certificate = string.IsNullOrEmpty(keyPath)
                ? X509CertificateLoader.LoadPkcs12FromFile(path, password)
                : string.IsNullOrEmpty(password)
                    ? X509Certificate2.CreateFromPemFile(path, Resolve(keyPath, contentRoot))
                    : X509Certificate2.CreateFromEncryptedPemFile(path, password, Resolve(keyPath, contentRoot));
            if (!certificate.HasPrivateKey)
            {
                certificate.Dispose();
                throw new InvalidOperationException($"The TURN TLS certificate from {source} ('{path}') has no private key.");
            }

            return certificate;
        }
        catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or IOException or UnauthorizedAccessException)
        {
            // Never echo the password.
            throw new InvalidOperationException($"The TURN TLS certificate from {source} ('{path}') cannot be loaded: {ex.Message}", ex);
        }
    }

    private static string Resolve(string path, string? contentRoot) =>
        Path.IsPathRooted(path) || string.IsNullOrEmpty(contentRoot) ? path : Path.Combine(contentRoot, path);
}
