using System.Security.Cryptography.X509Certificates;
using Parley.Turn;

namespace Parley.Server.Hosting;

/// <summary>The self-signed certificate in use, for the start-up warning.</summary>
internal sealed record SelfSignedNotice(string CertificatePath, bool Created);

/// <summary>Says plainly, at start, that browsers will warn once and which fingerprint to compare.</summary>
internal sealed partial class SelfSignedNoticeLog(SelfSignedNotice notice, ReloadingCertificate certificate, ILogger<SelfSignedNoticeLog> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var current = certificate.Current;
        SelfSigned(logger, notice.Created ? "made" : "reused", notice.CertificatePath, current.GetNameInfo(X509NameType.DnsName, false), ReloadingCertificate.Fingerprint(current));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(12, LogLevel.Warning, "HTTPS uses a self-signed certificate ({Made}: {Path}, for {Name}, this machine's other names and its LAN addresses). Browsers will warn once: check that the certificate's SHA-256 fingerprint is {Fingerprint}, then accept it. A certificate from a CA (Kestrel:Certificates:Default:Path) avoids the warning (docs/deployment.md)")]
    private static partial void SelfSigned(ILogger logger, string made, string path, string name, string fingerprint);
}
