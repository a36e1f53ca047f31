namespace Parley.Compat.PeerJs.Protocol;

/// <summary>
/// <c>ERROR</c> texts. The first four are peerjs-server's own (<c>src/enums.ts</c>, <c>Errors</c>), word for word, as
/// apps may match them; the others are Parley's limits.
/// </summary>
public static class PeerJsErrors
{
    public const string InvalidKey = "Invalid key provided";

    public const string InvalidWsParameters = "No id, token, or key supplied to websocket server";

    public const string ConnectionLimitExceeded = "Server has reached its concurrent user limit";

    public const string InvalidId = "Invalid id: letters and digits, joined by single spaces, - or _, at most 128 characters";

    public const string InvalidToken = "Invalid token provided";

    public const string TooLarge = "Message too large";

    public const string RateExceeded = "Too many messages: slow down";

    public const string Replaced = "Replaced by a new connection with the same id and token";

    public const string Silent = "Nothing received for too long";

    public const string IdTaken = "ID is taken";
}
