using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Parley.Turn.Tests;

/// <summary>A self-signed server certificate for 127.0.0.1/localhost, written as PFX and as PEM to a temp directory.</summary>
internal sealed class TestCertificate : IDisposable
{
    public const string Password = "test-pfx-password";

    public TestCertificate()
    {
        Directory = Path.Combine(Path.GetTempPath(), "parley-turn-tls-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        using X509Certificate2 certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        Thumbprint = certificate.Thumbprint;
        PfxPath = Path.Combine(Directory, "turn.pfx");
        File.WriteAllBytes(PfxPath, certificate.Export(X509ContentType.Pfx, Password));
        PemPath = Path.Combine(Directory, "turn.crt");
        File.WriteAllText(PemPath, certificate.ExportCertificatePem());
        KeyPath = Path.Combine(Directory, "turn.key");
        File.WriteAllText(KeyPath, key.ExportPkcs8PrivateKeyPem());
    }

    public string Directory { get; }

    public string Thumbprint { get; }

    public string PfxPath { get; }

    public string PemPath { get; }

    public string KeyPath { get; }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
