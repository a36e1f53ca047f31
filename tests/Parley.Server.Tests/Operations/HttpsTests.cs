using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Parley.Server.Tests.Operations;

/// <summary>
/// HTTPS of the real server process: <c>--https</c> with its self-signed certificate for the LAN (made once, kept in
/// Server:DataPath, shared with TURN over TLS), and a configured certificate that reloads when its files are replaced
/// without dropping an open connection.
/// </summary>
public sealed class HttpsTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly string directory = Directory.CreateTempSubdirectory("parley-https-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public async Task Https_auto_serves_a_self_signed_certificate_for_this_machine_kept_for_the_next_start_and_used_by_turn_over_tls()
    {
        var (first, fingerprint) = await StartAutoAsync();
        X509Certificate2 served;
        X509Certificate2 turnServed;
        using (first.Process)
        {
            served = await ServedCertificateAsync(first.HttpsPort);
            turnServed = await ServedCertificateAsync(first.TurnTlsPort);
            await first.Process.TerminateAsync();
            Assert.Equal(0, await first.Process.WaitForExitAsync(Deadline));
        }

        // For this machine: loopback and the host name; browsers show the SHA-256 the log printed.
        var alternative = served.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Contains(IPAddress.Loopback, alternative.EnumerateIPAddresses());
        Assert.Contains(Dns.GetHostName(), alternative.EnumerateDnsNames(), StringComparer.OrdinalIgnoreCase);
        Assert.Equal(fingerprint, string.Join(':', Convert.ToHexString(served.GetCertHash(HashAlgorithmName.SHA256)).Chunk(2).Select(pair => new string(pair))));
        Assert.Equal(served.Thumbprint, turnServed.Thumbprint);
        Assert.True(File.Exists(Path.Combine(directory, "data", "https", "parley-selfsigned.crt.pem")));

        var (second, secondFingerprint) = await StartAutoAsync();
        using (second.Process)
        {
            Assert.Equal(served.Thumbprint, (await ServedCertificateAsync(second.HttpsPort)).Thumbprint);
            Assert.Equal(fingerprint, secondFingerprint);
            Assert.Contains(second.Process.Output, line => line.Contains("reused", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task A_configured_certificate_replaced_on_disk_is_served_to_new_connections_while_an_open_one_keeps_working()
    {
        var certificatePath = Path.Combine(directory, "cert.pem");
        var keyPath = Path.Combine(directory, "key.pem");
        using var original = WritePem(certificatePath, keyPath, "CN=original");
        var port = FreePorts.Tcp();
        using var server = ParleyProcess.Start(
            ["--urls", $"https://127.0.0.1:{port}", "--Turn:Enabled=false", "--Server:CertificateReloadSeconds=1",
             $"--Kestrel:Certificates:Default:Path={certificatePath}", $"--Kestrel:Certificates:Default:KeyPath={keyPath}"],
            workingDirectory: directory);
        await server.WaitForOutputAsync("Application started", Deadline);
        using var open = await HttpsConnection.OpenAsync(port);
        Assert.Equal(original.Thumbprint, open.Certificate.Thumbprint);
        Assert.Equal("ok\n", await open.GetAsync("/healthz"));

        // As certbot renews: new files in place of the old.
        using var renewed = WritePem(certificatePath + ".new", keyPath + ".new", "CN=renewed");
        File.Move(keyPath + ".new", keyPath, overwrite: true);
        File.Move(certificatePath + ".new", certificatePath, overwrite: true);

        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        while ((await ServedCertificateAsync(port)).Thumbprint != renewed.Thumbprint)
        {
            Assert.True(stopwatch.Elapsed < Deadline, "The replaced certificate was not served within 30 s");
            await Task.Delay(200);
        }

        Assert.Equal("ok\n", await open.GetAsync("/healthz")); // the connection made before is still served
        Assert.Equal(original.Thumbprint, open.Certificate.Thumbprint);
        await server.WaitForOutputAsync("was reloaded", Deadline);
    }

    private async Task<((ParleyProcess Process, int HttpsPort, int TurnTlsPort) Server, string Fingerprint)> StartAutoAsync()
    {
        var httpsPort = FreePorts.Tcp();
        var turnTlsPort = FreePorts.Tcp();
        var process = ParleyProcess.Start(
            ["--https", "--urls", $"http://127.0.0.1:{FreePorts.Tcp()}", $"--Server:HttpsPort={httpsPort}",
             $"--Turn:Port={FreePorts.UdpAndTcp()}", $"--Turn:TlsPort={turnTlsPort}", "--Turn:ListenAddress=127.0.0.1"],
            workingDirectory: directory);
        await process.WaitForOutputAsync("Application started", Deadline);
        var warning = process.Output.Single(line => line.Contains("self-signed", StringComparison.Ordinal) && line.Contains("SHA-256", StringComparison.Ordinal));
        var fingerprint = System.Text.RegularExpressions.Regex.Match(warning, "([0-9A-F]{2}:){31}[0-9A-F]{2}").Value;
        return ((process, httpsPort, turnTlsPort), fingerprint);
    }

    private static async Task<X509Certificate2> ServedCertificateAsync(int port)
    {
        using var connection = await HttpsConnection.OpenAsync(port);
        return new X509Certificate2(connection.Certificate);
    }

    private static X509Certificate2 WritePem(string certificatePath, string keyPath, string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        return certificate;
    }

    /// <summary>One TLS connection kept open, with HTTP/1.1 keep-alive requests on it, whatever certificate it presents.</summary>
    private sealed class HttpsConnection : IDisposable
    {
        private readonly TcpClient tcp;
        private readonly SslStream tls;

        private HttpsConnection(TcpClient tcp, SslStream tls)
        {
            this.tcp = tcp;
            this.tls = tls;
        }

        public X509Certificate2 Certificate => new(tls.RemoteCertificate!);

        public static async Task<HttpsConnection> OpenAsync(int port)
        {
            var tcp = new TcpClient();
            await tcp.ConnectAsync(IPAddress.Loopback, port);
#pragma warning disable CA5359 // Any certificate is taken on purpose: the tests compare what was served with what they expect.
            var tls = new SslStream(tcp.GetStream(), false);
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost", RemoteCertificateValidationCallback = (_, _, _, _) => true });
#pragma warning restore CA5359
            return new HttpsConnection(tcp, tls);
        }

        /// <summary>The body of a small response (Content-Length) to a GET on this connection.</summary>
        public async Task<string> GetAsync(string path)
        {
            await tls.WriteAsync(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n"));
            var buffer = new byte[4096];
            var received = new StringBuilder();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            while (true)
            {
                var read = await tls.ReadAsync(buffer, timeout.Token);
                Assert.True(read > 0, $"The connection was closed; received:\n{received}");
                received.Append(Encoding.ASCII.GetString(buffer, 0, read));
                var text = received.ToString();
                var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                var length = System.Text.RegularExpressions.Regex.Match(text, @"Content-Length: (\d+)", System.Text.RegularExpressions.RegexOptions.IgnoreCase);
                if (end >= 0 && length.Success && text.Length >= end + 4 + int.Parse(length.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))
                {
                    Assert.StartsWith("HTTP/1.1 200", text, StringComparison.Ordinal);
                    return text[(end + 4)..];
                }

                if (end >= 0 && !length.Success && text.EndsWith("\r\n0\r\n\r\n", StringComparison.Ordinal))
                {
                    // Chunked: one chunk of data, then the last one.
                    Assert.StartsWith("HTTP/1.1 200", text, StringComparison.Ordinal);
                    var chunk = text[(end + 4)..];
                    var data = chunk[(chunk.IndexOf("\r\n", StringComparison.Ordinal) + 2)..];
                    return data[..data.IndexOf("\r\n0\r\n\r\n", StringComparison.Ordinal)];
                }
            }
        }

        public void Dispose()
        {
            tls.Dispose();
            tcp.Dispose();
        }
    }
}
