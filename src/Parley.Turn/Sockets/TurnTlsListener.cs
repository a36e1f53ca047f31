using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Parley.Turn.Sockets;

/// <summary>
/// TURN over TLS (<c>turns:</c>, RFC 8656 §3.1, RFC 7065) on Turn:ListenAddress:Turn:TlsPort. Runs only when a
/// certificate is configured (<see cref="TurnCertificate"/>: the HTTPS default certificate or the Turn:Certificate*
/// overrides); the TLS session then carries exactly what a TCP connection carries. Each handshake takes the
/// certificate current then (<see cref="ReloadingCertificate"/>): a renewed file reaches new connections, and open
/// ones keep the session they negotiated.
/// </summary>
internal sealed class TurnTlsListener : TurnStreamListener
{
    /// <summary>A client that has not finished the TLS handshake by then is dropped.</summary>
    internal static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);

    private readonly IConfiguration _configuration;
    private readonly TimeProvider _time;
    private readonly ILogger<ReloadingCertificate> _certificateLogger;
    private readonly string? _contentRoot;
    private ReloadingCertificate? _certificate;
    private Handshake? _tls;

    public TurnTlsListener(TurnServer server, ILogger<TurnTlsListener> logger, IConfiguration configuration,
        TimeProvider time, ILogger<ReloadingCertificate> certificateLogger, IHostEnvironment? environment = null)
        : base(server, logger)
    {
        _configuration = configuration;
        _time = time;
        _certificateLogger = certificateLogger;
        _contentRoot = environment?.ContentRootPath;
    }

    protected override string TransportName => "tls";

    protected override int Port => Server.Options.TlsPort;

    protected override bool IsEnabled => _certificate is not null;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (Server.Options.Enabled)
        {
            _certificate = TurnCertificate.Open(Server.Options, _configuration, _contentRoot, _time, _certificateLogger);
            if (_certificate is null)
            {
                TurnLog.TlsDisabled(Logger);
            }
        }

        return base.StartAsync(cancellationToken);
    }

    protected override async ValueTask<Stream> OpenAsync(Socket socket, CancellationToken cancellationToken)
    {
        var tls = new SslStream(new NetworkStream(socket, ownsSocket: false), leaveInnerStreamOpen: false);
        try
        {
            using var handshake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            handshake.CancelAfter(HandshakeTimeout);
            await tls.AuthenticateAsServerAsync(CurrentOptions(), handshake.Token).ConfigureAwait(false);
            return tls;
        }
        catch
        {
            await tls.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// The handshake options for the current certificate. The certificate context (its chain, built once) is made
    /// again only when the certificate changed; two handshakes racing past a change both make one, and either
    /// is right.
    /// </summary>
    private SslServerAuthenticationOptions CurrentOptions()
    {
        X509Certificate2 certificate = _certificate!.Current;
        Handshake? cached = Volatile.Read(ref _tls);
        if (cached is null || !ReferenceEquals(cached.Certificate, certificate))
        {
            cached = new Handshake(certificate, new SslServerAuthenticationOptions
            {
                ServerCertificateContext = SslStreamCertificateContext.Create(certificate, additionalCertificates: null),
                ClientCertificateRequired = false,
            });
            Volatile.Write(ref _tls, cached);
        }

        return cached.Options;
    }

    public override void Dispose()
    {
        // The certificates themselves stay undisposed: connections still open may refer to them until they close.
        _certificate?.Dispose();
        base.Dispose();
    }

    private sealed record Handshake(X509Certificate2 Certificate, SslServerAuthenticationOptions Options);
}
