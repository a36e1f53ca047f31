using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace Parley.Turn;

/// <summary>
/// A server certificate read from its files (PEM certificate and key, or PFX with a password), read again when they
/// change, as a Let's Encrypt renewal replaces them. HTTPS (Kestrel) and TURN over TLS (RFC 8656 §3.1) both ask for
/// <see cref="Current"/> at each TLS handshake, so new connections get the new certificate and open ones keep theirs;
/// nothing is unbound, nothing dropped. The files' times and sizes are compared every period (a poll, not inotify:
/// certbot swaps symbolic links, which a watch on the link's directory does not always see). A replacement that does
/// not load (half written, a key that does not match, no private key) is logged and the previous certificate stays.
/// </summary>
public sealed partial class ReloadingCertificate : IDisposable
{
    private readonly string certificatePath;
    private readonly string? keyPath;
    private readonly string? password;
    private readonly string purpose;
    private readonly ILogger<ReloadingCertificate> logger;
    private readonly ITimer timer;
    private (DateTime, long, DateTime, long) stamp;
    private (DateTime, long, DateTime, long) failedStamp;
    private X509Certificate2 current;

    /// <summary>Loads the certificate now and then checks its files every <paramref name="period"/>.</summary>
    /// <param name="purpose">What the certificate is for, in the log lines ("HTTPS", "TURN over TLS").</param>
    /// <exception cref="CryptographicException">The files do not hold a certificate with its private key.</exception>
    /// <exception cref="IOException">A file cannot be read.</exception>
    public ReloadingCertificate(string purpose, string certificatePath, string? keyPath, string? password, TimeSpan period, TimeProvider time, ILogger<ReloadingCertificate> logger)
    {
        ArgumentNullException.ThrowIfNull(time);
        this.purpose = purpose;
        this.certificatePath = certificatePath;
        this.keyPath = keyPath;
        this.password = password;
        this.logger = logger;
        stamp = Stamp();
        current = Load();
        timer = time.CreateTimer(static state => ((ReloadingCertificate)state!).Check(), this, period, period);
    }

    /// <summary>The certificate new TLS connections get.</summary>
    public X509Certificate2 Current => Volatile.Read(ref current);

    public void Dispose() => timer.Dispose();

    /// <summary>SHA-256 of the DER certificate, as browsers show it: <c>AB:CD:...</c>.</summary>
    public static string Fingerprint(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return string.Join(':', Convert.ToHexString(certificate.GetCertHash(HashAlgorithmName.SHA256)).Chunk(2).Select(pair => new string(pair)));
    }

    /// <summary>Reads the files again if they changed since the last read; internal for tests that drive the clock.</summary>
    internal void Check()
    {
        var now = Stamp();
        if (now == stamp || now == failedStamp)
        {
            return;
        }

        try
        {
            var loaded = Load();
            stamp = now;
            // The old one stays undisposed: connections that negotiated with it may still refer to it.
            Volatile.Write(ref current, loaded);
            Reloaded(logger, purpose, certificatePath, Fingerprint(loaded), loaded.NotAfter);
        }
        catch (Exception error) when (error is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            failedStamp = now;
            ReloadFailed(logger, purpose, certificatePath, error.Message);
        }
    }

    private X509Certificate2 Load()
    {
        var loaded = string.IsNullOrEmpty(keyPath)
            ? X509CertificateLoader.LoadPkcs12FromFile(certificatePath, password)
            : string.IsNullOrEmpty(password)
                ? X509Certificate2.CreateFromPemFile(certificatePath, keyPath)
                : X509Certificate2.CreateFromEncryptedPemFile(certificatePath, password, keyPath);
        if (!loaded.HasPrivateKey)
        {
            // A server certificate without its key cannot finish a handshake: refuse it as a load failure.
            loaded.Dispose();
            throw new CryptographicException("The certificate has no private key.");
        }

        return loaded;
    }

    private (DateTime, long, DateTime, long) Stamp()
    {
        var certificate = new FileInfo(certificatePath);
        var key = string.IsNullOrEmpty(keyPath) ? null : new FileInfo(keyPath);
        return (certificate.Exists ? certificate.LastWriteTimeUtc : default, certificate.Exists ? certificate.Length : -1,
            key is { Exists: true } ? key.LastWriteTimeUtc : default, key is { Exists: true } ? key.Length : -1);
    }

    [LoggerMessage(10, LogLevel.Information, "{Purpose} certificate {Path} changed and was reloaded (SHA-256 {Fingerprint}, valid until {NotAfter:u}); new connections get it, open ones keep theirs")]
    private static partial void Reloaded(ILogger logger, string purpose, string path, string fingerprint, DateTime notAfter);

    [LoggerMessage(11, LogLevel.Warning, "{Purpose} certificate {Path} changed but could not be loaded ({Reason}); the previous certificate stays until it loads")]
    private static partial void ReloadFailed(ILogger logger, string purpose, string path, string reason);
}
