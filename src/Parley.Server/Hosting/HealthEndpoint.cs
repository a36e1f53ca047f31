namespace Parley.Server.Hosting;

internal static class HealthEndpoint
{
    /// <summary><c>/healthz</c>: 200 "ok" while the server is serving; for load balancers and probes.</summary>
    public static IEndpointConventionBuilder MapParleyHealth(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/healthz", static () => Results.Text("ok\n"));
}
