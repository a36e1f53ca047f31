using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Parley.Compat.LiveKit.Twirp;

namespace Parley.Compat.LiveKit.Hosting;

public static class LiveKitEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps LiveKit's RoomService under <c>/twirp/</c> (docs/access.md, "Admin API"); every path there answers in
    /// Twirp's terms, <c>bad_route</c> included (in open mode, always).
    /// </summary>
    public static IEndpointConventionBuilder MapParleyLiveKit(this IEndpointRouteBuilder endpoints)
    {
        var service = endpoints.ServiceProvider.GetRequiredService<RoomServiceEndpoint>();
        return endpoints.Map(RoomServiceEndpoint.Prefix + "{**path}", service.HandleAsync);
    }
}
