using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Parley.Compat.LiveKit.Twirp;
using Parley.Compat.LiveKit.Webhooks;
using Parley.Signaling.Rooms;

namespace Parley.Compat.LiveKit.Hosting;

public static class LiveKitServiceCollectionExtensions
{
    /// <summary>
    /// Registers LiveKit compatibility: the RoomService admin API (mapped by MapParleyLiveKit), and webhooks from the <c>Webhooks</c> section (validated at start), which replace
    /// the do-nothing <see cref="IRoomEvents"/> when <c>Webhooks:Urls</c> is set. Signs with the <c>Auth</c> section's
    /// keys, which AddParleyAccess registers.
    /// </summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Options types are validated by reflection over their public properties; the native build keeps Parley's assemblies whole (TrimmerRootAssembly in Parley.Server.csproj), and the native smoke test checks a refused value.")]
    public static IServiceCollection AddParleyLiveKit(this IServiceCollection services)
    {
        services.AddOptions<WebhookOptions>()
            .BindConfiguration(WebhookOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<WebhookOptions>, WebhookOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient(WebhookSender.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan) // each attempt has its own
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                // A receiver that redirects gets no signed copy of the event elsewhere.
                AllowAutoRedirect = false,
                // Lanes of many rooms post at once; a slow receiver gets at most this many connections from us.
                MaxConnectionsPerServer = 16,
            })
            .RemoveAllLoggers();
        services.AddSingleton<WebhookOutbox>();
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<WebhookNotifier>();
        services.AddHostedService<WebhookDeliveryService>();
        services.AddSingleton<RoomServiceMethods>();
        services.AddSingleton<RoomServiceEndpoint>();
        services.Replace(ServiceDescriptor.Singleton<IRoomEvents>(provider =>
            provider.GetRequiredService<IOptions<WebhookOptions>>().Value.Urls.Count > 0
                ? provider.GetRequiredService<WebhookNotifier>()
                : new NoRoomEvents()));
        return services;
    }
}
