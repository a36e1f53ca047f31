namespace Parley.Access;

/// <summary>Checks LiveKit-format access tokens against the configured <c>Auth:Keys</c>.</summary>
public interface IAccessTokenValidator
{
    /// <summary>
    /// True with the grant when <paramref name="token"/> is an HS256 JWT signed by a configured key, unexpired (60 s
    /// leeway), with an identity. Never throws on hostile input; never logs the token.
    /// </summary>
    bool TryValidate(string? token, out AccessGrant grant, out AccessRefusal refusal);

    /// <summary>
    /// As <see cref="TryValidate"/> for a call to the admin API, where the token needs no identity: LiveKit's server
    /// SDKs (<c>RoomServiceClient</c>) mint their admin tokens without <c>sub</c> or <c>jti</c>. The grant's identity is
    /// then empty.
    /// </summary>
    bool TryValidateApiCall(string? token, out AccessGrant grant, out AccessRefusal refusal) => TryValidate(token, out grant, out refusal);
}
