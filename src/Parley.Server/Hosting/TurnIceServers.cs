using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Parley.Signaling;
using Parley.Signaling.Protocol;
using Parley.Turn;
using Parley.Turn.Auth;

namespace Parley.Server.Hosting;

/// <summary>
/// Hands each participant the embedded STUN/TURN server, with TURN credentials of its own that expire
/// after Turn:CredentialLifetime, after any servers listed in Signaling:IceServers.
/// </summary>
internal sealed class TurnIceServerProvider(
    ConfiguredIceServerProvider configured,
    IOptions<TurnOptions> turnOptions,
    TurnCredentialIssuer issuer,
    IConfiguration configuration) : IIceServerProvider
{
    private readonly TurnOptions turn = turnOptions.Value;
    private readonly bool tls = TurnTls.IsConfigured(turnOptions.Value, configuration);

    public IReadOnlyList<IceServer> GetIceServers(string participantId, string? requestHost)
    {
        var listed = configured.GetIceServers(participantId, requestHost);
        if (!turn.Enabled || TurnHost(requestHost) is not { } host)
        {
            return listed;
        }

        var credential = issuer.Issue(participantId);
        var port = turn.Port.ToString(CultureInfo.InvariantCulture);
        return [.. listed, new IceServer([$"stun:{host}:{port}"]), new IceServer(TurnUris(host, turn, tls), credential.Username, credential.Password)];
    }

    /// <summary>
    /// The TURN URIs each participant gets. A browser allocates once per URI for every peer connection, so their
    /// number sizes the automatic Turn:MaxAllocationsPerUser (<see cref="TurnAllocationQuota"/>).
    /// </summary>
    internal static List<string> TurnUris(string host, TurnOptions turn, bool tls)
    {
        var port = turn.Port.ToString(CultureInfo.InvariantCulture);
        List<string> turnUris = [$"turn:{host}:{port}?transport=udp", $"turn:{host}:{port}?transport=tcp"];
        if (tls)
        {
            // For networks that let only TLS out; the certificate must name the host the browser used.
            turnUris.Add($"turns:{host}:{turn.TlsPort.ToString(CultureInfo.InvariantCulture)}?transport=tcp");
        }

        return turnUris;
    }

    /// <summary>
    /// The name browsers reach TURN by: Turn:ExternalAddress behind NAT, else the host the browser used
    /// for this page. "localhost" becomes 127.0.0.1, because browsers may try ::1 first and the listener is
    /// IPv4. Null when the only name known is an IPv6 address the IPv4 listener does not serve.
    /// </summary>
    internal string? TurnHost(string? requestHost)
    {
        if (turn.ExternalAddress is { Length: > 0 } external)
        {
            return external;
        }

        if (string.IsNullOrEmpty(requestHost))
        {
            return null;
        }

        if (string.Equals(requestHost, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return "127.0.0.1";
        }

        var listensOnIPv6 = IPAddress.TryParse(turn.ListenAddress, out var listen) && listen.AddressFamily == AddressFamily.InterNetworkV6;
        if (IPAddress.TryParse(requestHost.Trim('[', ']'), out var literal) && literal.AddressFamily == AddressFamily.InterNetworkV6)
        {
            return listensOnIPv6 ? $"[{literal}]" : null;
        }

        return requestHost;
    }
}

internal static class TurnIceServersRegistration
{
    /// <summary>
    /// Signaling hands out the embedded TURN server (when Turn:Enabled) besides the configured ones, and an automatic
    /// Turn:MaxAllocationsPerUser follows the room size.
    /// </summary>
    public static IServiceCollection AddParleyTurnIceServers(this IServiceCollection services)
    {
        services.AddSingleton<ConfiguredIceServerProvider>();
        services.AddSingleton<IIceServerProvider, TurnIceServerProvider>();
        services.AddSingleton<IPostConfigureOptions<TurnOptions>, TurnAllocationQuota>();
        return services;
    }
}
