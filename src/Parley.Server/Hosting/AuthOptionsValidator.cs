using Microsoft.Extensions.Options;
using Parley.Access;

namespace Parley.Server.Hosting;

/// <summary>Validates <see cref="AuthOptions"/> at start, one line per key, never quoting a secret.</summary>
internal sealed class AuthOptionsValidator : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        foreach (var (apiKey, secret) in options.Keys.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            var length = secret?.Length ?? 0;
            if (length < AuthOptions.MinSecretLength)
            {
                // RFC 7518 §3.2: an HS256 key must be at least as long as the hash output (256 bits); a shorter secret
                // can be found offline from any one token it signed.
                failures.Add($"Auth:Keys:{apiKey} secret is {length} characters; at least {AuthOptions.MinSecretLength} are needed (a shorter one can be guessed offline from any token it signed); make one with: openssl rand -base64 32");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
