using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Parley.Access;

namespace Parley.Compat.PeerJs.Hosting;

public static class PeerJsEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps peerjs-server's endpoints under <see cref="PeerJsOptions.Path"/> (docs/protocol.md, "PeerJS compatibility"):
    /// <c>GET {key}/id</c>, <c>GET {key}/peers</c> and the WebSocket <c>peerjs</c>; when <see cref="PeerJsOptions.Enabled"/>
    /// is unset, only in open mode.
    /// </summary>
    public static IEndpointRouteBuilder MapParleyPeerJs(this IEndpointRouteBuilder endpoints)
    {
        var options = endpoints.ServiceProvider.GetRequiredService<IOptions<PeerJsOptions>>().Value;
        var tokenMode = endpoints.ServiceProvider.GetService<IOptions<AuthOptions>>()?.Value.TokenMode ?? false;
        var logger = endpoints.ServiceProvider.GetRequiredService<ILogger<PeerJsEndpoint>>();
        if (!(options.Enabled ?? !tokenMode))
        {
            PeerJsLog.Off(logger, options.Enabled is null ? " in token mode (set PeerJs:Enabled=true to serve it)" : "");
            return endpoints;
        }

        var endpoint = endpoints.ServiceProvider.GetRequiredService<PeerJsEndpoint>();
        // RequestDelegates, not method groups: nothing to bind by reflection (the native build has none).
        endpoints.MapGet(options.Path + "/{key}/id", context => endpoint.NewId(context, RouteKey(context)).ExecuteAsync(context));
        endpoints.MapGet(options.Path + "/{key}/peers", context => endpoint.Peers(context, RouteKey(context)).ExecuteAsync(context));
        endpoints.Map(options.Path + "/peerjs", endpoint.HandleSocketAsync);
        PeerJsLog.Serving(logger, options.Path, options.Key, options.AllowDiscovery);
        return endpoints;
    }

    private static string RouteKey(HttpContext context) => context.Request.RouteValues["key"] as string ?? "";
}
