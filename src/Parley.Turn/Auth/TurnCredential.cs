namespace Parley.Turn.Auth;

/// <summary>
/// A time-limited TURN credential in the coturn "TURN REST API" form: <see cref="Username"/> is
/// <c>&lt;expiry unix seconds&gt;:&lt;user&gt;</c> and <see cref="Password"/> is
/// <c>base64(HMAC-SHA1(secret, username))</c>. Hand both to a browser as an RTCIceServer's username and credential.
/// </summary>
/// <param name="Username">The USERNAME the client sends.</param>
/// <param name="Password">The password (credential).</param>
/// <param name="ExpiresAt">When the credential stops being accepted for new requests.</param>
public sealed record TurnCredential(string Username, string Password, DateTimeOffset ExpiresAt);
