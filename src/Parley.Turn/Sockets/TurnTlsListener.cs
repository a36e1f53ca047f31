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
/// overrides); the TLS session then carries exactly what a TCP connection carries.
/// </summary>
internal sealed class TurnTlsListener : TurnStreamListener
{
    /// <summary>A client that has not finished the TLS handshake by then is dropped.</summary>
    internal static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);

    private readonly IConfiguration _configuration;
    private readonly string? _contentRoot;
    private SslServerAuthenticationOptions? _tls;
    private X509Certificate2? _certificate;

    public TurnTlsListener(TurnServer server, ILogger<TurnTlsListener> logger, IConfiguration configuration,
        IHostEnvironment? environment = null)
        : base(server, logger)
    {
        _configuration = configuration;
        _contentRoot = environment?.ContentRootPath;
    }

    protected override string TransportName => "tls";

    protected override int Port => Server.Options.TlsPort;

    protected override bool IsEnabled => _tls is not null;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (Server.Options.Enabled)
        {
            _certificate = TurnCertificate.Load(Server.Options, _configuration, _contentRoot);
            if (_certificate is null)
            {
                TurnLog.TlsDisabled(Logger);
            }
            else
            {
                _tls = new SslServerAuthenticationOptions
                {
                    ServerCertificateContext = SslStreamCertificateContext.Create(_certificate, additionalCertificates: null),
                    ClientCertificateRequired = false,
                };
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
            await tls.AuthenticateAsServerAsync(_tls!, handshake.Token).ConfigureAwait(false);
            return tls;
        }
        catch
        {
            await tls.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public override void Dispose()
    {
        _certificate?.Dispose();
        base.Dispose();
    }
}
