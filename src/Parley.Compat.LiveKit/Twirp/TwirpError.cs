using Microsoft.AspNetCore.Http;

namespace Parley.Compat.LiveKit.Twirp;

/// <summary>
/// A Twirp error as its JSON body (<c>{"code": "...", "msg": "..."}</c>) with the HTTP status its code maps to
/// (Twirp specification v7, "Error codes"). LiveKit's server SDKs read both and raise them to the caller.
/// </summary>
internal sealed record TwirpError(string Code, string Msg)
{
    public const string Unauthenticated = "unauthenticated";
    public const string PermissionDenied = "permission_denied";
    public const string NotFound = "not_found";
    public const string InvalidArgument = "invalid_argument";
    public const string Malformed = "malformed";
    public const string BadRoute = "bad_route";
    public const string ResourceExhausted = "resource_exhausted";
    public const string Internal = "internal";
    public const string Unavailable = "unavailable";

    public int HttpStatus => Code switch
    {
        Unauthenticated => StatusCodes.Status401Unauthorized,
        PermissionDenied => StatusCodes.Status403Forbidden,
        NotFound or BadRoute => StatusCodes.Status404NotFound,
        InvalidArgument or Malformed => StatusCodes.Status400BadRequest,
        ResourceExhausted => StatusCodes.Status429TooManyRequests,
        Unavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };
}
