using Microsoft.Extensions.Hosting;
using Parley.Turn.Sockets;

namespace Parley.Turn;

/// <summary>Whether the TURN server can serve: its UDP listener is bound and it has an address to relay from.</summary>
public sealed class TurnReadiness
{
    private readonly TurnServer server;
    private readonly IEnumerable<IHostedService> services;

    internal TurnReadiness(TurnServer server, IEnumerable<IHostedService> services)
    {
        this.server = server;
        this.services = services;
    }

    /// <summary>Null when ready (or when TURN is off); otherwise why not, in one sentence for <c>/readyz</c>.</summary>
    public string? NotReadyReason()
    {
        if (!server.Options.Enabled)
        {
            return null;
        }

        if (services.OfType<TurnUdpListener>().FirstOrDefault() is not { LocalEndPoint: not null })
        {
            return "the TURN UDP listener is not bound";
        }

        return server.Addresses.RelayIPv4 is null && server.Addresses.RelayIPv6 is null
            ? "TURN has no address to relay from (Turn:RelayAddress)"
            : null;
    }
}
