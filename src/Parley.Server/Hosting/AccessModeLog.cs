using Microsoft.Extensions.Options;
using Parley.Access;

namespace Parley.Server.Hosting;

/// <summary>Says once at start which mode access control is in: a server left open by mistake should be noticed.</summary>
internal sealed class AccessModeLog(IOptions<AuthOptions> options, ILoggerFactory loggers) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger("Parley.Access");
        var keys = options.Value.Keys;
        if (keys.Count == 0)
        {
            AccessLog.OpenMode(logger);
        }
        else
        {
            // API keys are not secret (every token carries its key in iss); naming them helps during a rotation.
            AccessLog.TokenMode(logger, keys.Count, string.Join(", ", keys.Keys.Order(StringComparer.Ordinal)));
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
