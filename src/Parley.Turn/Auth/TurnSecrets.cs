using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Parley.Turn.Auth;

/// <summary>
/// The shared secrets for time-limited credentials (Turn:SharedSecrets, or one random secret generated at
/// start) and the process-local key of stateless nonces. Never logged.
/// </summary>
public sealed class TurnSecrets
{
    /// <summary>Reads the secrets from options.</summary>
    public TurnSecrets(IOptions<TurnOptions> options)
        : this((options ?? throw new ArgumentNullException(nameof(options))).Value.SharedSecrets)
    {
    }

    /// <summary>Uses the given secrets (the first issues), or a random one when empty.</summary>
    public TurnSecrets(IEnumerable<string> secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        byte[][] configured = [.. secrets.Where(s => !string.IsNullOrEmpty(s)).Select(Encoding.UTF8.GetBytes)];
        SharedSecrets = configured.Length > 0 ? configured : [RandomNumberGenerator.GetBytes(32)];
        NonceKey = RandomNumberGenerator.GetBytes(32);
    }

    /// <summary>Accepted secrets as UTF-8 bytes; the first issues new credentials.</summary>
    internal IReadOnlyList<byte[]> SharedSecrets { get; }

    /// <summary>Key of the stateless nonce MAC; random per process.</summary>
    internal byte[] NonceKey { get; }
}
