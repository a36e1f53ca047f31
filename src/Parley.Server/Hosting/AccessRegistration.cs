using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Parley.Access;

namespace Parley.Server.Hosting;

internal static class AccessRegistration
{
    /// <summary>
    /// Registers access control: <see cref="AuthOptions"/> from the <c>Auth</c> section (checked at start: a secret
    /// under 32 characters stops it), the token validator and minter, and the start-up line that says which mode the
    /// server is in (docs/access.md).
    /// </summary>
    public static IServiceCollection AddParleyAccess(this IServiceCollection services)
    {
        services.AddOptions<AuthOptions>()
            .BindConfiguration(AuthOptions.SectionName)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        // Replaces signaling's open-mode default (NoAccessTokens), registered before this.
        services.Replace(ServiceDescriptor.Singleton<IAccessTokenValidator>(provider => new AccessTokenValidator(
            provider.GetRequiredService<IOptions<AuthOptions>>().Value, provider.GetRequiredService<TimeProvider>())));
        services.TryAddSingleton<AccessTokenMinter>();
        services.AddHostedService<AccessModeLog>();
        return services;
    }
}
