using Microsoft.Extensions.Options;

namespace Parley.Signaling;

/// <summary>Checks what data annotations cannot: relations between options and the shape of ICE URIs.</summary>
internal sealed class SignalingOptionsValidator : IValidateOptions<SignalingOptions>
{
    private static readonly string[] IceSchemes = ["stun:", "stuns:", "turn:", "turns:"];

    [System.Diagnostics.CodeAnalysis.UnconditionalSuppressMessage("Trimming", "IL2026",
        Justification = "Data annotations read HttpSignalingOptions' own properties, which the native build keeps (TrimmerRootAssembly in Parley.Server.csproj).")]
    public ValidateOptionsResult Validate(string? name, SignalingOptions options)
    {
        var failures = new List<string>();
        if (options.MessageBurst < options.MessagesPerSecond)
        {
            failures.Add($"Signaling:MessageBurst ({options.MessageBurst}) must be at least Signaling:MessagesPerSecond ({options.MessagesPerSecond}).");
        }

        if (options.HeartbeatTimeoutSeconds <= options.HeartbeatSeconds)
        {
            failures.Add($"Signaling:HeartbeatTimeoutSeconds ({options.HeartbeatTimeoutSeconds}) must be more than Signaling:HeartbeatSeconds ({options.HeartbeatSeconds}), or every connection would time out between two pings.");
        }

        var http = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
        if (!System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options.Http, new(options.Http), http, validateAllProperties: true))
        {
            failures.AddRange(http.Select(result => $"Signaling:Http: {result.ErrorMessage}"));
        }

        if (options.Http.Enabled && string.Equals(options.Http.Path.TrimEnd('/'), options.Path.TrimEnd('/'), StringComparison.OrdinalIgnoreCase))
        {
            failures.Add($"Signaling:Http:Path ({options.Http.Path}) must differ from Signaling:Path ({options.Path}).");
        }

        for (var i = 0; i < options.IceServers.Count; i++)
        {
            var server = options.IceServers[i];
            if (server.Urls.Count == 0)
            {
                failures.Add($"Signaling:IceServers:{i}:Urls must list at least one URI.");
            }

            foreach (var url in server.Urls)
            {
                if (!IceSchemes.Any(scheme => url.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)))
                {
                    failures.Add($"Signaling:IceServers:{i}:Urls has '{url}', which is not a stun:, stuns:, turn: or turns: URI.");
                }
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
