using System.Security.Cryptography;
using Parley.Stun;
using Parley.Stun.Attributes;

namespace Parley.Turn.Auth;

/// <summary>The outcome of checking a request's long-term credentials.</summary>
internal enum AuthOutcome
{
    /// <summary>Authenticated.</summary>
    Ok,

    /// <summary>No integrity, or wrong credentials: 401 with REALM, NONCE and PASSWORD-ALGORITHMS.</summary>
    Unauthenticated,

    /// <summary>The NONCE expired or was not ours: 438 with a new NONCE.</summary>
    StaleNonce,

    /// <summary>Integrity present but USERNAME/USERHASH, REALM or NONCE missing, or bad algorithm negotiation: 400.</summary>
    BadRequest,
}

/// <summary>An authenticated request's identity and the key to sign the response with.</summary>
internal readonly record struct AuthResult(string Username, string User, byte[] Key, bool Sha256Integrity);

/// <summary>
/// The long-term credential mechanism on the server side, RFC 8489 §9.2.4, with time-limited passwords
/// from <see cref="TurnCredentialIssuer"/>, stateless nonces, PASSWORD-ALGORITHMS negotiation (§9.2.4,
/// MD5 and SHA-256 keys), MESSAGE-INTEGRITY-SHA256 and USERHASH.
/// </summary>
internal sealed class LongTermAuthenticator
{
    /// <summary>The algorithms offered, most preferred first (RFC 8489 §14.11).</summary>
    public static readonly PasswordAlgorithms Offered = PasswordAlgorithms.Of(StunPasswordAlgorithm.Sha256, StunPasswordAlgorithm.Md5);

    private readonly TurnCredentialIssuer _issuer;
    private readonly StatelessNonce _nonce;
    private readonly string _realm;
    private readonly long _graceSeconds;
    private readonly ITurnUserRevocations _revocations;

    public LongTermAuthenticator(TurnCredentialIssuer issuer, StatelessNonce nonce, string realm, TimeSpan expiredCredentialGrace = default,
        ITurnUserRevocations? revocations = null)
    {
        _issuer = issuer;
        _revocations = revocations ?? new NoTurnUserRevocations();
        _nonce = nonce;
        _realm = realm;
        _graceSeconds = (long)expiredCredentialGrace.TotalSeconds;
    }

    public string Realm => _realm;

    public string CreateNonce(in TransportAddress client, bool tcp) => _nonce.Create(client, tcp);

    /// <summary>
    /// Authenticates a request. <paramref name="renewing"/> is the USERNAME of the live allocation of the
    /// request's 5-tuple (null for Allocate or without one): that username alone is accepted up to
    /// Turn:ExpiredCredentialGrace after its expiry, so an allocation can be kept alive (not created) with it.
    /// </summary>
    public AuthOutcome Authenticate(scoped in StunMessage request, in TransportAddress client, bool tcp, string? renewing,
        out AuthResult result)
    {
        result = default;

        // RFC 8489 §9.2.4: "If the message does not contain a MESSAGE-INTEGRITY or a MESSAGE-INTEGRITY-SHA256
        // attribute, the server MUST generate an error response with an error code of 401 (Unauthenticated)."
        if (!request.HasMessageIntegrity && !request.HasMessageIntegritySha256)
        {
            return AuthOutcome.Unauthenticated;
        }

        // "If the message contains a MESSAGE-INTEGRITY or a MESSAGE-INTEGRITY-SHA256 attribute, but is missing
        // either the USERNAME or USERHASH, REALM, or NONCE attribute, the server MUST generate an error
        // response with an error code of 400 (Bad Request)."
        bool hasUserHash = request.TryGet(out UserHash userHash, out _);
        bool hasUsername = request.TryGet(out Username username, out _);
        if (!(hasUsername || hasUserHash) || !request.TryGet(out Realm realm, out _) || !request.TryGet(out Nonce nonce, out _))
        {
            return AuthOutcome.BadRequest;
        }

        // "If the NONCE is no longer valid, the server MUST generate an error response with an error code of
        // 438 (Stale Nonce)."
        if (!_nonce.IsValid(nonce.Value, client, tcp))
        {
            return AuthOutcome.StaleNonce;
        }

        // §9.2.4 with the "Password algorithms" feature bit set in our nonce: PASSWORD-ALGORITHMS and
        // PASSWORD-ALGORITHM are both present or both absent; if present the list must be the one we sent and
        // the algorithm one of it, else 400. Absent means MD5.
        bool hasList = request.Contains(StunAttributeType.PasswordAlgorithms);
        bool hasAlgorithm = request.Contains(StunAttributeType.PasswordAlgorithm);
        StunPasswordAlgorithm algorithm = StunPasswordAlgorithm.Md5;
        if (hasList != hasAlgorithm)
        {
            return AuthOutcome.BadRequest;
        }

        if (hasList)
        {
            if (!request.TryGet(out PasswordAlgorithms list, out _) || !list.Equals(Offered)
                || !request.TryGet(out PasswordAlgorithm chosen, out _) || !Offered.Contains(chosen))
            {
                return AuthOutcome.BadRequest;
            }

            algorithm = chosen.Algorithm;
        }

        if (!string.Equals(realm.Value, _realm, StringComparison.Ordinal))
        {
            return AuthOutcome.Unauthenticated;
        }

        string name = hasUsername ? username.Value : "";
        if (!hasUsername && !_issuer.TryResolveUserHash(userHash.Value, out name))
        {
            return AuthOutcome.Unauthenticated;
        }

        long grace = hasUsername && string.Equals(name, renewing, StringComparison.Ordinal) ? _graceSeconds : 0;
        // A removed participant's credential still verifies until it expires; it must not relay meanwhile.
        if (!_issuer.TryParseUsername(name, out string user, out _, grace) || _revocations.IsRevoked(user))
        {
            return AuthOutcome.Unauthenticated;
        }

        // RFC 8489 §9.2.4: with MESSAGE-INTEGRITY-SHA256 present it is the one checked.
        bool sha256 = request.HasMessageIntegritySha256;
        foreach (string password in _issuer.CandidatePasswords(name))
        {
            byte[] key = StunKeys.LongTerm(name, _realm, password, algorithm);
            bool ok = sha256
                ? MessageIntegritySha256.Verify(request, key, out _, MessageIntegritySha256.MinLength)
                : MessageIntegrity.Verify(request, key, out _);
            if (ok)
            {
                result = new AuthResult(name, user, key, sha256);
                return AuthOutcome.Ok;
            }

            CryptographicOperations.ZeroMemory(key);
        }

        return AuthOutcome.Unauthenticated;
    }
}
