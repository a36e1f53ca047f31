using Microsoft.Extensions.Options;

namespace Parley.Server.Hosting;

/// <summary>
/// Keeps access tokens out of logs. Browsers can only put a token in a URL (<c>/?token=</c> for the page,
/// <c>/ws?access_token=</c> for a WebSocket), and ASP.NET Core's hosting diagnostics log every request's URL, query
/// included, at Information ("Request starting ..."). These rules, added after the configuration's (for every
/// provider, and for each built-in provider by name, since a provider's own rule beats a general one), keep that
/// category at Warning whatever the configured levels, so turning on Debug logging never writes a token.
/// </summary>
internal sealed class TokenSafeLogging : IPostConfigureOptions<LoggerFilterOptions>
{
    /// <summary>The category that writes request URLs.</summary>
    public const string RequestUrlCategory = "Microsoft.AspNetCore.Hosting.Diagnostics";

    private static readonly string?[] Providers = [null, "Console", "Debug", "EventSource", "EventLog"];

    public void PostConfigure(string? name, LoggerFilterOptions options)
    {
        foreach (var provider in Providers)
        {
            options.Rules.Add(new LoggerFilterRule(provider, RequestUrlCategory, LogLevel.Warning, filter: null));
        }
    }
}

internal static class TokenSafeLoggingRegistration
{
    public static IServiceCollection AddParleyTokenSafeLogging(this IServiceCollection services) =>
        services.AddSingleton<IPostConfigureOptions<LoggerFilterOptions>, TokenSafeLogging>();
}
