using Microsoft.Extensions.Options;

namespace Parley.Compat.Tracker;

/// <summary>The rules between <see cref="TrackerOptions"/> that their ranges alone cannot state, checked at start.</summary>
internal sealed class TrackerOptionsValidator : IValidateOptions<TrackerOptions>
{
    public ValidateOptionsResult Validate(string? name, TrackerOptions options)
    {
        var problems = new List<string>();
        if (options.PeerTimeoutSeconds <= options.IntervalSeconds)
        {
            problems.Add($"Tracker:PeerTimeoutSeconds ({options.PeerTimeoutSeconds}) must exceed Tracker:IntervalSeconds ({options.IntervalSeconds}), or peers that announce on time are dropped between announces.");
        }

        if (options.MaxQueuedBytes < options.MaxMessageBytes)
        {
            problems.Add($"Tracker:MaxQueuedBytes ({options.MaxQueuedBytes}) must be at least Tracker:MaxMessageBytes ({options.MaxMessageBytes}).");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
