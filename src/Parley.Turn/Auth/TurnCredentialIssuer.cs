using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Parley.Stun;

namespace Parley.Turn.Auth;

/// <summary>
/// Issues and checks coturn-compatible time-limited credentials (draft-uberti-behave-turn-rest): the
/// signaling side calls <see cref="Issue"/> to hand each participant fresh TURN credentials with bounded
/// validity. Any of the configured secrets is accepted, so secrets can rotate. Also remembers the USERHASH
/// (RFC 8489 §14.4) of credentials it issued, so clients may hide their username.
/// </summary>
public sealed class TurnCredentialIssuer
{
    /// <summary>Most issued credentials remembered for USERHASH lookups.</summary>
    internal const int MaxRememberedUserHashes = 100_000;

    private readonly TurnSecrets _secrets;
    private readonly TimeProvider _time;
    private readonly TurnOptions _options;
    private readonly ConcurrentDictionary<UserHashKey, (string Username, long Expiry)> _userHashes = new();

    /// <summary>Creates an issuer.</summary>
    public TurnCredentialIssuer(TurnSecrets secrets, IOptions<TurnOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _secrets = secrets ?? throw new ArgumentNullException(nameof(secrets));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _options = options.Value;
    }

    /// <summary>
    /// A fresh credential for <paramref name="user"/> (any opaque id, e.g. a participant id; ':' is allowed
    /// after the first separator), valid for <paramref name="validity"/> or Turn:CredentialLifetime, capped
    /// at Turn:CredentialLifetime.
    /// </summary>
    public TurnCredential Issue(string user, TimeSpan? validity = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(user);
        TimeSpan lifetime = validity is { } v && v > TimeSpan.Zero && v < _options.CredentialLifetime
            ? v
            : _options.CredentialLifetime;
        DateTimeOffset expires = _time.GetUtcNow() + lifetime;
        long expiry = expires.ToUnixTimeSeconds();
        string username = expiry.ToString(CultureInfo.InvariantCulture) + ":" + user;
        string password = ComputePassword(_secrets.SharedSecrets[0], username);
        Remember(username, expiry);
        return new TurnCredential(username, password, DateTimeOffset.FromUnixTimeSeconds(expiry));
    }

    /// <summary>The password for a username under one secret: base64(HMAC-SHA1(secret, username)).</summary>
    public static string ComputePassword(ReadOnlySpan<byte> secret, string username)
    {
        ArgumentNullException.ThrowIfNull(username);
        Span<byte> mac = stackalloc byte[HMACSHA1.HashSizeInBytes];
#pragma warning disable CA5350 // HMAC-SHA1 is the coturn REST credential format; it is a MAC, not a signature.
        HMACSHA1.HashData(secret, Encoding.UTF8.GetBytes(username), mac);
#pragma warning restore CA5350
        return Convert.ToBase64String(mac);
    }

    /// <summary>
    /// The user and expiry of a time-limited username, or false when it is malformed or has expired (more than
    /// <paramref name="graceSeconds"/> ago).
    /// </summary>
    internal bool TryParseUsername(string username, out string user, out long expiry, long graceSeconds = 0)
    {
        user = "";
        expiry = 0;
        int colon = username.IndexOf(':', StringComparison.Ordinal);
        ReadOnlySpan<char> stamp = colon < 0 ? username : username.AsSpan(0, colon);
        if (!long.TryParse(stamp, NumberStyles.None, CultureInfo.InvariantCulture, out expiry)
            || expiry > long.MaxValue - graceSeconds || expiry + graceSeconds <= _time.GetUtcNow().ToUnixTimeSeconds())
        {
            return false;
        }

        user = colon < 0 ? username : username[(colon + 1)..];
        return true;
    }

    /// <summary>Candidate passwords for a username: one per accepted secret.</summary>
    internal IEnumerable<string> CandidatePasswords(string username)
    {
        foreach (byte[] secret in _secrets.SharedSecrets)
        {
            yield return ComputePassword(secret, username);
        }
    }

    /// <summary>The username of an issued, unexpired credential with this USERHASH.</summary>
    internal bool TryResolveUserHash(ReadOnlySpan<byte> userHash, out string username)
    {
        if (userHash.Length == UserHashKey.Length
            && _userHashes.TryGetValue(new UserHashKey(userHash), out var entry)
            && entry.Expiry > _time.GetUtcNow().ToUnixTimeSeconds())
        {
            username = entry.Username;
            return true;
        }

        username = "";
        return false;
    }

    private void Remember(string username, long expiry)
    {
        if (_userHashes.Count >= MaxRememberedUserHashes)
        {
            long now = _time.GetUtcNow().ToUnixTimeSeconds();
            foreach (var pair in _userHashes)
            {
                if (pair.Value.Expiry <= now)
                {
                    _userHashes.TryRemove(pair.Key, out _);
                }
            }

            if (_userHashes.Count >= MaxRememberedUserHashes)
            {
                return; // Bounded: USERHASH just stops working for the excess; USERNAME still does.
            }
        }

        Span<byte> hash = stackalloc byte[UserHashKey.Length];
        StunKeys.UserHash(username, _options.Realm, hash);
        _userHashes[new UserHashKey(hash)] = (username, expiry);
    }

    private readonly struct UserHashKey : IEquatable<UserHashKey>
    {
        public const int Length = 32;
        private readonly UInt128 _a;
        private readonly UInt128 _b;

        public UserHashKey(ReadOnlySpan<byte> hash)
        {
            _a = System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(hash);
            _b = System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(hash[16..]);
        }

        public bool Equals(UserHashKey other) => _a == other._a && _b == other._b;

        public override bool Equals(object? obj) => obj is UserHashKey other && Equals(other);

        public override int GetHashCode() => _a.GetHashCode();
    }
}
