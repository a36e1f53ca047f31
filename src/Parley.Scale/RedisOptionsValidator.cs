using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Parley.Scale;

/// <summary>Checks what data annotations cannot: the configuration string parses, and a node outlives a late heartbeat.</summary>
internal sealed class RedisOptionsValidator : IValidateOptions<RedisOptions>
{
    public ValidateOptionsResult Validate(string? name, RedisOptions options)
    {
        var failures = new List<string>();
        if (options.Enabled)
        {
            try
            {
                if (ConfigurationOptions.Parse(options.Configuration!).EndPoints.Count == 0)
                {
                    failures.Add("Redis:Configuration names no endpoint (e.g. 127.0.0.1:6379).");
                }
            }
            catch (Exception ex) when (ex is ArgumentException or RedisConnectionException or FormatException)
            {
                failures.Add($"Redis:Configuration is not a StackExchange.Redis configuration string: {ex.Message}");
            }
        }

        if (options.NodeTimeoutSeconds < 3 * options.NodeHeartbeatSeconds)
        {
            failures.Add($"Redis:NodeTimeoutSeconds ({options.NodeTimeoutSeconds}) must be at least three heartbeats (Redis:NodeHeartbeatSeconds = {options.NodeHeartbeatSeconds}), or one late heartbeat kills a live node.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
