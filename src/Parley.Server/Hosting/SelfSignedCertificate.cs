using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Parley.Server.Hosting;

/// <summary>
/// The certificate of <c>Server:Https=auto</c> when none is configured: self-signed, for this machine's host name,
/// <c>localhost</c> and its LAN addresses, kept as PEM in <c>{DataPath}/https/</c> and reused by the next start
/// while it is valid for 30 more days and still names every current address (a new DHCP lease makes a new one).
/// ECDSA P-256: what browsers accept, and quick to make.
/// </summary>
internal static class SelfSignedCertificate
{
    public const string CertificateFileName = "parley-selfsigned.crt.pem";
    public const string KeyFileName = "parley-selfsigned.key.pem";

    private static readonly TimeSpan Validity = TimeSpan.FromDays(365);
    private static readonly TimeSpan RenewBefore = TimeSpan.FromDays(30);

    /// <summary>The files, made if missing or unfit; <paramref name="created"/> says whether they are new.</summary>
    public static (string CertificatePath, string KeyPath) Ensure(string dataPath, TimeProvider time, out bool created)
    {
        var directory = Path.Combine(Path.GetFullPath(dataPath), "https");
        var certificatePath = Path.Combine(directory, CertificateFileName);
        var keyPath = Path.Combine(directory, KeyFileName);
        var names = HostNames();
        var addresses = LocalAddresses();
        created = !IsReusable(certificatePath, keyPath, names, addresses, time.GetUtcNow());
        if (created)
        {
            Directory.CreateDirectory(directory);
            using var certificate = Create(names, addresses, time.GetUtcNow());
            // The key first, private to the server's user (0600): a half-written pair is made anew next start.
            WritePrivate(keyPath, certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
            File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        }

        return (certificatePath, keyPath);
    }

    internal static X509Certificate2 Create(IReadOnlyList<string> names, IReadOnlyList<IPAddress> addresses, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={names[0]}, O=Parley (self-signed)", key, HashAlgorithmName.SHA256);
        var alternativeNames = new SubjectAlternativeNameBuilder();
        foreach (var name in names)
        {
            alternativeNames.AddDnsName(name);
        }

        foreach (var address in addresses)
        {
            alternativeNames.AddIpAddress(address);
        }

        request.CertificateExtensions.Add(alternativeNames.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false)); // serverAuth
        return request.CreateSelfSigned(now.AddDays(-1), now.Add(Validity));
    }

    private static bool IsReusable(string certificatePath, string keyPath, IReadOnlyList<string> names, IReadOnlyList<IPAddress> addresses, DateTimeOffset now)
    {
        if (!File.Exists(certificatePath) || !File.Exists(keyPath))
        {
            return false;
        }

        try
        {
            using var certificate = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
            if (certificate.NotAfter.ToUniversalTime() < now.Add(RenewBefore).UtcDateTime
                || certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault() is not { } alternative)
            {
                return false;
            }

            var dnsNames = alternative.EnumerateDnsNames().ToHashSet(StringComparer.OrdinalIgnoreCase);
            var ipAddresses = alternative.EnumerateIPAddresses().ToHashSet();
            return names.All(dnsNames.Contains) && addresses.All(ipAddresses.Contains);
        }
        catch (CryptographicException)
        {
            return false; // damaged or not a pair: made anew
        }
    }

    private static List<string> HostNames()
    {
        var names = new List<string>();
        var host = Dns.GetHostName();
        if (!string.IsNullOrEmpty(host) && !string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            names.Add(host);
            if (!host.Contains('.', StringComparison.Ordinal))
            {
                names.Add(host + ".local"); // mDNS, as phones on the LAN find it
            }
        }

        names.Add("localhost");
        return names;
    }

    /// <summary>Loopback and the addresses of every interface that is up, link-local IPv6 left out (browsers cannot use them in a URL).</summary>
    private static List<IPAddress> LocalAddresses()
    {
        var addresses = new List<IPAddress> { IPAddress.Loopback, IPAddress.IPv6Loopback };
        try
        {
            foreach (var network in NetworkInterface.GetAllNetworkInterfaces())
            {
                if (network.OperationalStatus != OperationalStatus.Up)
                {
                    continue;
                }

                foreach (var unicast in network.GetIPProperties().UnicastAddresses)
                {
                    var address = unicast.Address;
                    if ((address.AddressFamily == AddressFamily.InterNetwork || (address.AddressFamily == AddressFamily.InterNetworkV6 && !address.IsIPv6LinkLocal))
                        && !addresses.Contains(address))
                    {
                        addresses.Add(address);
                    }
                }
            }
        }
        catch (NetworkInformationException)
        {
            // A sandbox that hides the interfaces: loopback and the host name still work.
        }

        return addresses;
    }

    private static void WritePrivate(string path, string text)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        File.Delete(path); // UnixCreateMode applies only to a file being created
        using var writer = new StreamWriter(new FileStream(path, options));
        writer.Write(text);
    }
}
