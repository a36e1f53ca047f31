using Microsoft.Extensions.Configuration;
using Parley.Turn.Sockets;

namespace Parley.Turn;

/// <summary>Whether TURN over TLS (<c>turns:</c>, RFC 8656 §3.1) runs, for whoever hands out the URIs.</summary>
public static class TurnTls
{
    /// <summary>
    /// True when a certificate is configured for the TLS listener: <see cref="TurnOptions.CertificatePath"/>
    /// or the HTTPS default certificate. The listener then runs on <see cref="TurnOptions.TlsPort"/>.
    /// </summary>
    public static bool IsConfigured(TurnOptions options, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(configuration);
        return options.Enabled
            && (!string.IsNullOrEmpty(options.CertificatePath)
                || !string.IsNullOrEmpty(configuration[TurnCertificate.KestrelDefaultSection + ":Path"]));
    }
}
