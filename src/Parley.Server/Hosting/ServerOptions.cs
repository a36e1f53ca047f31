using System.ComponentModel.DataAnnotations;

namespace Parley.Server.Hosting;

/// <summary>Settings of the host itself, bound from the <c>Server</c> configuration section.</summary>
internal sealed class ServerOptions
{
    public const string SectionName = "Server";

    /// <summary>
    /// Run socket completions and request code on the socket engine's threads instead of the thread pool
    /// (<see cref="Hosting.InlineScheduling.UseParleyInlineScheduling"/>). Defaults to <c>true</c>.
    /// </summary>
    public bool InlineScheduling { get; set; } = true;

    /// <summary>
    /// <see cref="HttpsMode.Auto"/> (or <c>parley --https</c>): HTTPS on <see cref="HttpsPort"/> beside HTTP, with the
    /// configured certificate or else a self-signed one kept in <see cref="DataPath"/> (<see cref="HttpsSetup"/>).
    /// Defaults to <see cref="HttpsMode.Off"/>: only the URLs configured (<c>--urls</c>) listen.
    /// </summary>
    public HttpsMode Https { get; set; } = HttpsMode.Off;

    /// <summary>The HTTPS port of <see cref="Https"/> auto. Defaults to 8443.</summary>
    [Range(1, 65535)]
    public int HttpsPort { get; set; } = 8443;

    /// <summary>
    /// How often the configured HTTPS certificate's files (<c>Kestrel:Certificates:Default:Path</c> and <c>:KeyPath</c>)
    /// are checked for a replacement, which new connections then get (<see cref="Parley.Turn.ReloadingCertificate"/>), 1 to 3,600.
    /// Defaults to 10.
    /// </summary>
    [Range(1, 3600)]
    public int CertificateReloadSeconds { get; set; } = 10;

    /// <summary>
    /// Where Parley keeps what it makes for itself (the self-signed certificate), relative to the working directory
    /// unless absolute. Defaults to <c>data</c>; the container and the systemd unit set it to a volume.
    /// </summary>
    [Required]
    public string DataPath { get; set; } = "data";

    /// <summary>
    /// Who may read <c>/metrics</c> (Prometheus text): <see cref="MetricsAccess.Loopback"/> (this machine only: a
    /// Prometheus agent beside it, or a reverse proxy that does not forward <c>/metrics</c>), <see cref="MetricsAccess.Any"/>,
    /// or <see cref="MetricsAccess.Off"/> (no endpoint, no meters collected). Defaults to <see cref="MetricsAccess.Loopback"/>.
    /// </summary>
    public MetricsAccess Metrics { get; set; } = MetricsAccess.Loopback;

    /// <summary>
    /// After at least this many megabytes have been allocated since the last time, the first quiet two seconds
    /// (under a sixty-fourth of it allocated) run one aggressive garbage collection that gives the burst's memory back
    /// (<see cref="IdleMemoryTrim"/>); 0 turns it off, up to 65,536. Defaults to 64.
    /// </summary>
    [Range(0, 65536)]
    public int IdleTrimMegabytes { get; set; } = 64;
}

/// <summary>Whether Parley serves HTTPS by itself (<see cref="ServerOptions.Https"/>).</summary>
internal enum HttpsMode
{
    Off,
    Auto,
}

/// <summary>Who may read <c>/metrics</c> (<see cref="ServerOptions.Metrics"/>).</summary>
internal enum MetricsAccess
{
    Loopback,
    Any,
    Off,
}
