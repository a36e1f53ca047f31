using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Parley.Signaling.Handlers;
using Parley.Signaling.Rooms;
using Parley.Signaling.Sessions;

namespace Parley.Signaling.Hosting;

public static class SignalingServiceCollectionExtensions
{
    /// <summary>Registers signaling: options from the <c>Signaling</c> section (validated at start), rooms and handlers.</summary>
    public static IServiceCollection AddParleySignaling(this IServiceCollection services)
    {
        services.AddOptions<SignalingOptions>()
            .BindConfiguration(SignalingOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<SignalingOptions>, SignalingOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IIceServerProvider, ConfiguredIceServerProvider>();
        services.AddSingleton<RoomRegistry>();
        services.AddSingleton<ConnectionCounter>();
        services.AddSingleton(provider => new MessageHandlerRegistry(
        [
            new JoinHandler(provider.GetRequiredService<IOptions<SignalingOptions>>().Value, provider.GetRequiredService<IIceServerProvider>()),
            new ResumeHandler(provider.GetRequiredService<IOptions<SignalingOptions>>().Value, provider.GetRequiredService<IIceServerProvider>()),
            new LeaveHandler(),
            new DescriptionRelayHandler("offer"),
            new DescriptionRelayHandler("answer"),
            new CandidateRelayHandler(),
            new StateHandler(),
            new ChatHandler(provider.GetRequiredService<IOptions<SignalingOptions>>().Value, provider.GetRequiredService<TimeProvider>()),
            new PingHandler(),
            new PongHandler(),
            new PeerLostHandler(),
        ]));
        services.AddSingleton<SignalingServer>();
        services.AddHostedService<SignalingShutdownService>();
        return services;
    }
}
