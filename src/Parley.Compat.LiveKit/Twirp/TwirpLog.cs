using Microsoft.Extensions.Logging;

namespace Parley.Compat.LiveKit.Twirp;

/// <summary>Admin API log events, with stable ids 451x. Tokens, room names, identities and bodies are never logged.</summary>
internal static partial class TwirpLog
{
    [LoggerMessage(4510, LogLevel.Information, "Admin API: {Method} by the key {ApiKey}")]
    public static partial void Called(ILogger logger, string method, string apiKey);

    [LoggerMessage(4511, LogLevel.Debug, "Admin API: {Method} refused ({Code})")]
    public static partial void Refused(ILogger logger, string method, string code);
}
