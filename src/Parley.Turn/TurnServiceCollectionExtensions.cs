using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Parley.Turn.Auth;
using Parley.Turn.Sockets;

namespace Parley.Turn;

/// <summary>Registers the embedded TURN server.</summary>
public static class TurnServiceCollectionExtensions
{
    /// <summary>
    /// Adds the TURN server: <see cref="TurnOptions"/> bound from the <c>Turn</c> section and validated at
    /// start, <see cref="TurnCredentialIssuer"/> (for signaling to hand out credentials), and the UDP, TCP and
    /// TLS listeners (TLS only with a certificate) and the expiry sweeper as hosted services (idle when
    /// Turn:Enabled is false).
    /// </summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Options types are validated by reflection over their public properties; the native build keeps Parley's assemblies whole (TrimmerRootAssembly in Parley.Server.csproj), and the native smoke test checks a refused value.")]
    public static IServiceCollection AddParleyTurn(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<TurnOptions>()
            .BindConfiguration(TurnOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TurnOptions>, TurnOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new TurnSecrets(sp.GetRequiredService<IOptions<TurnOptions>>()));
        services.TryAddSingleton<TurnCredentialIssuer>();
        services.TryAddSingleton<HostAddresses>();
        services.TryAddSingleton<ITurnUserRevocations, NoTurnUserRevocations>();
        services.AddMetrics();
        services.TryAddSingleton<TurnMetrics>();
        services.TryAddSingleton<TurnServer>();
        services.TryAddSingleton(sp => new TurnReadiness(sp.GetRequiredService<TurnServer>(), sp.GetServices<IHostedService>()));
        services.TryAddSingleton(sp => new TurnUsers(sp.GetRequiredService<TurnServer>()));
        services.AddHostedService<TurnUdpListener>();
        services.AddHostedService<TurnTcpListener>();
        services.AddHostedService<TurnTlsListener>();
        services.AddHostedService<TurnSweeper>();
        return services;
    }
}
