using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Parley.Scale.Admin;
using Parley.Scale.Bridges;
using Parley.Scale.Store;
using Parley.Signaling.Rooms;
using Parley.Signaling.Sessions;

namespace Parley.Scale.Hosting;

public static class ScaleServiceCollectionExtensions
{
    /// <summary>
    /// Several nodes over Redis, when <c>Redis:Configuration</c> is set: rooms placed on owner nodes, sessions carried
    /// between nodes, seats in Redis, node heartbeats. Call before <c>AddParleySignaling</c>: its defaults (one process)
    /// are only added where these are not, and this heartbeat must stop after signaling has sent its clients away.
    /// </summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Options types are validated by reflection over their public properties; the native build keeps Parley's assemblies whole (TrimmerRootAssembly in Parley.Server.csproj).")]
    public static IServiceCollection AddParleyScale(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RedisOptions>()
            .BindConfiguration(RedisOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<RedisOptions>, RedisOptionsValidator>();
        if (string.IsNullOrWhiteSpace(configuration[$"{RedisOptions.SectionName}:{nameof(RedisOptions.Configuration)}"]))
        {
            return services;
        }

        services.AddSingleton<RedisLink>();
        services.AddSingleton<RoomPlacement>();
        services.AddSingleton<NodeInbox>();
        services.AddSingleton(provider => new RedisHealth(provider.GetRequiredService<RedisLink>()));
        services.AddSingleton<IRoomSeats, RedisRoomSeats>();
        services.AddSingleton<IRoomRouter, RedisRoomRouter>();
        services.AddSingleton<AdminCalls>();
        services.AddSingleton<IRoomAdministration, ScaledRoomAdministration>();
        services.AddHostedService<NodeHeartbeat>();
        return services;
    }
}
