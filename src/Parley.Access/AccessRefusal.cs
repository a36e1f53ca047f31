namespace Parley.Access;

/// <summary>Why a token was refused: a stable <see cref="Code"/> (docs/access.md) and a message for people.</summary>
public readonly record struct AccessRefusal(string Code, string Message)
{
    public const string Missing = "token-missing";
    public const string Malformed = "token-malformed";
    public const string Algorithm = "token-algorithm";
    public const string UnknownKey = "token-unknown-key";
    public const string Signature = "token-signature";
    public const string Expired = "token-expired";
    public const string NotYetValid = "token-not-yet-valid";
    public const string NoIdentity = "token-no-identity";
}
