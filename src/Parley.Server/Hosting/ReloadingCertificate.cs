using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Parley.Server.Hosting;

/// <summary>
/// The HTTPS certificate read from its files (PEM certificate and key, or PFX with a password), read again when they
/// change, as a Let's Encrypt renewal replaces them: Kestrel asks for <see cref="Current"/> at each TLS handshake, so
/// new connections get the new certificate and open ones keep theirs; nothing is unbound, nothing dropped. The files'
/// times and sizes are compared every <see cref="ServerOptions.CertificateReloadSeconds"/> (a poll, not inotify:
/// certbot swaps symbolic links, which a watch on the link's directory does not always see). A replacement that does
/// not load (half written, a key that does not match) is logged and the previous certificate stays.
/// </summary>
internal sealed partial class ReloadingCertificate : IDisposable
{
    private readonly string certificatePath;
    private readonly string? keyPath;
    private readonly string? password;
    private readonly ILogger<ReloadingCertificate> logger;
    private readonly ITimer timer;
    private (DateTime, long, DateTime, long) stamp;
    private (DateTime, long, DateTime, long) failedStamp;
    private X509Certificate2 current;

    public ReloadingCertificate(string certificatePath, string? keyPath, string? password, TimeSpan period, TimeProvider time, ILogger<ReloadingCertificate> logger)
    {
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

    /// <summary>Reads the files again if they changed since the last read; public for tests that drive the clock.</summary>
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
            Reloaded(logger, certificatePath, SelfSignedCertificate.Fingerprint(loaded), loaded.NotAfter);
        }
        catch (Exception error) when (error is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            failedStamp = now;
            ReloadFailed(logger, certificatePath, error.Message);
        }
    }

    private X509Certificate2 Load() => string.IsNullOrEmpty(keyPath)
        ? X509CertificateLoader.LoadPkcs12FromFile(certificatePath, password)
        : string.IsNullOrEmpty(password)
            ? X509Certificate2.CreateFromPemFile(certificatePath, keyPath)
            : X509Certificate2.CreateFromEncryptedPemFile(certificatePath, password, keyPath);

    private (DateTime, long, DateTime, long) Stamp()
    {
        var certificate = new FileInfo(certificatePath);
        var key = string.IsNullOrEmpty(keyPath) ? null : new FileInfo(keyPath);
        return (certificate.Exists ? certificate.LastWriteTimeUtc : default, certificate.Exists ? certificate.Length : -1,
            key is { Exists: true } ? key.LastWriteTimeUtc : default, key is { Exists: true } ? key.Length : -1);
    }

    [LoggerMessage(10, LogLevel.Information, "HTTPS certificate {Path} changed and was reloaded (SHA-256 {Fingerprint}, valid until {NotAfter:u}); new connections get it, open ones keep theirs")]
    private static partial void Reloaded(ILogger logger, string path, string fingerprint, DateTime notAfter);

    [LoggerMessage(11, LogLevel.Warning, "HTTPS certificate {Path} changed but could not be loaded ({Reason}); the previous certificate stays until it loads")]
    private static partial void ReloadFailed(ILogger logger, string path, string reason);
}
