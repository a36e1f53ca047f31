using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace Parley.Server.Tests;

/// <summary>
/// In the test host only: a request with <see cref="HttpSignalingClient.ClientAddressHeader"/> is seen by the server as
/// coming from that address, so tests on loopback can act as distinct non-loopback clients (the per-address bounds
/// exempt loopback; sessions are bound to their address).
/// </summary>
public sealed class ClientAddressFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            if (IPAddress.TryParse(context.Request.Headers[HttpSignalingClient.ClientAddressHeader].ToString(), out var address))
            {
                context.Connection.RemoteIpAddress = address;
            }

            return nextMiddleware(context);
        });
        next(app);
    };
}
