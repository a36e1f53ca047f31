using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Parley.Compat.PeerJs.Realm;
using Parley.Signaling.Sessions;

namespace Parley.Compat.PeerJs.Hosting;

public static class PeerJsServiceCollectionExtensions
{
    /// <summary>
    /// Registers PeerJS compatibility (mapped by MapParleyPeerJs): options from the <c>PeerJs</c> section, validated at
    /// start, the realm of ids, and a connection counter of its own bounded by <see cref="PeerJsOptions.MaxConnections"/>.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Options types are validated by reflection over their public properties; the native build keeps Parley's assemblies whole (TrimmerRootAssembly in Parley.Server.csproj).")]
    public static IServiceCollection AddParleyPeerJs(this IServiceCollection services)
    {
        services.AddOptions<PeerJsOptions>()
            .BindConfiguration(PeerJsOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<PeerJsOptions>, PeerJsOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<PeerJsRealm>();
        services.AddSingleton(provider => new PeerJsEndpoint(
            provider.GetRequiredService<IOptions<PeerJsOptions>>().Value,
            provider.GetRequiredService<PeerJsRealm>(),
            new ConnectionCounter(provider.GetRequiredService<IOptions<PeerJsOptions>>().Value.MaxConnections),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<Microsoft.Extensions.Logging.ILogger<PeerJsEndpoint>>()));
        return services;
    }
}
