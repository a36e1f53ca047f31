using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Parley.Turn.Auth;

/// <summary>
/// The shared secrets for time-limited credentials (Turn:SharedSecrets, or one random secret made for this process)
/// and the process-local key of stateless nonces. Never logged. Random values are made at their first use (the first
/// credential issued, the first nonce), not at start: making one is the process's first call into OpenSSL, whose
/// libraries (3.6 MiB resident) an idle server then need not load (docs/benchmarks.md); every later read gets the
/// same value.
/// </summary>
public sealed class TurnSecrets
{
    private readonly byte[][]? _configured;
    private byte[][]? _generated;
    private byte[]? _nonceKey;

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
        _configured = configured.Length > 0 ? configured : null;
    }

    /// <summary>Accepted secrets as UTF-8 bytes; the first issues new credentials.</summary>
    // EnsureInitialized publishes one value with a compare-exchange: two first readers racing both get the same one.
    internal IReadOnlyList<byte[]> SharedSecrets =>
        _configured ?? LazyInitializer.EnsureInitialized(ref _generated, static () => [RandomNumberGenerator.GetBytes(32)]);

    /// <summary>Key of the stateless nonce MAC; random per process.</summary>
    internal byte[] NonceKey => LazyInitializer.EnsureInitialized(ref _nonceKey, static () => RandomNumberGenerator.GetBytes(32));
}
