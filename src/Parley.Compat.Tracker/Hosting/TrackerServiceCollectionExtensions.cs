using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Parley.Compat.Tracker.Swarms;

namespace Parley.Compat.Tracker.Hosting;

public static class TrackerServiceCollectionExtensions
{
    /// <summary>
    /// Registers the WebTorrent tracker: options from the <c>Tracker</c> section (validated at start), its swarms and
    /// the sweeper that drops silent peers. MapParleyTracker maps it (or, switched off, maps nothing).
    /// </summary>
    [System.Diagnostics.CodeAnalysis.UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Options types are validated by reflection over their public properties; the native build keeps Parley's assemblies whole (TrimmerRootAssembly in Parley.Server.csproj).")]
    public static IServiceCollection AddParleyTracker(this IServiceCollection services)
    {
        services.AddOptions<TrackerOptions>()
            .BindConfiguration(TrackerOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<TrackerOptions>, TrackerOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<TrackerSwarms>();
        services.AddHostedService<TrackerSweeper>();
        return services;
    }
}
