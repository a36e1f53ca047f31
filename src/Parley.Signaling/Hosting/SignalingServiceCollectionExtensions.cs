using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Parley.Access;
using Parley.Signaling.Access;
using Parley.Signaling.Handlers;
using Parley.Signaling.Rooms;
using Parley.Signaling.Sessions;

namespace Parley.Signaling.Hosting;

public static class SignalingServiceCollectionExtensions
{
    /// <summary>
    /// Registers signaling: options from the <c>Signaling</c> section (validated at start), admission, rooms and
    /// handlers. Token mode needs an <see cref="IAccessTokenValidator"/> and the <c>Auth</c> options from the host; without
    /// them every token is refused and the server is in open mode.
    /// </summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Options types are validated by reflection over their public properties; the native build keeps Parley's assemblies whole (TrimmerRootAssembly in Parley.Server.csproj), and the native smoke test checks a refused value.")]
    public static IServiceCollection AddParleySignaling(this IServiceCollection services)
    {
        services.AddOptions<SignalingOptions>()
            .BindConfiguration(SignalingOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<SignalingOptions>, SignalingOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IIceServerProvider, ConfiguredIceServerProvider>();
        services.TryAddSingleton<IAccessTokenValidator, NoAccessTokens>();
        services.TryAddSingleton<IRoomEvents, NoRoomEvents>();
        services.TryAddSingleton<IParticipantEviction, NoParticipantEviction>();
        services.TryAddSingleton<AccessRevocations>();
        services.TryAddSingleton<ResumeTicketCodec>();
        services.AddSingleton<ResumeTokens>();
        services.AddSingleton<JoinRateLimiter>();
        services.AddSingleton<Admission>();
        services.TryAddSingleton<IRoomSeats>(LocalRoomSeats.Instance);
        services.TryAddSingleton<IRoomRouter, LocalRoomRouter>();
        services.AddSingleton(provider => new RoomServices(
            provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<ResumeTokens>(), provider.GetRequiredService<IRoomEvents>())
        {
            Seats = provider.GetRequiredService<IRoomSeats>(),
        });
        services.AddSingleton<RoomRegistry>();
        services.AddSingleton<Moderation>();
        services.AddSingleton<RoomAdministration>();
        services.TryAddSingleton<IRoomAdministration>(provider => provider.GetRequiredService<RoomAdministration>());
        services.AddSingleton(provider => new ConnectionCounter(provider.GetRequiredService<IOptions<SignalingOptions>>()));
        services.AddMetrics();
        services.TryAddSingleton<SignalingMetrics>();
        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<SignalingOptions>>().Value;
            var admission = provider.GetRequiredService<Admission>();
            var iceServers = provider.GetRequiredService<IIceServerProvider>();
            return new MessageHandlerRegistry(
            [
                new JoinHandler(admission, iceServers),
                new ResumeHandler(admission, iceServers),
                new LeaveHandler(),
                new DescriptionRelayHandler("offer"),
                new DescriptionRelayHandler("answer"),
                new CandidateRelayHandler(),
                new StateHandler(),
                new ChatHandler(options, provider.GetRequiredService<TimeProvider>()),
                new PingHandler(),
                new PongHandler(),
                new PeerLostHandler(),
                new MuteParticipantHandler(),
                new MuteAllHandler(),
                new RemoveParticipantHandler(provider.GetRequiredService<Moderation>()),
                new LockRoomHandler(),
                new UpdateSelfHandler(options),
            ]);
        });
        services.AddSingleton<SignalingServer>();
        services.AddSingleton<Transports.Http.HttpSessionRegistry>();
        services.AddHostedService<SignalingShutdownService>();
        return services;
    }
}

/// <summary>Open mode's validator: there are no keys, so every token is refused (and none is asked for).</summary>
internal sealed class NoAccessTokens : IAccessTokenValidator
{
    public bool TryValidate(string? token, out AccessGrant grant, out AccessRefusal refusal)
    {
        grant = null!;
        refusal = new AccessRefusal(AccessRefusal.UnknownKey, "This server has no Auth:Keys.");
        return false;
    }
}
