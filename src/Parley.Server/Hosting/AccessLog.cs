namespace Parley.Server.Hosting;

/// <summary>Log messages of access control, with stable event ids. Secrets, tokens and claims are never logged.</summary>
internal static partial class AccessLog
{
    [LoggerMessage(4000, LogLevel.Information, "Token mode: every join needs an access token signed with one of the {KeyCount} key(s) in Auth:Keys ({ApiKeys}); see docs/access.md")]
    public static partial void TokenMode(ILogger logger, int keyCount, string apiKeys);

    [LoggerMessage(4001, LogLevel.Warning, "Open mode: no Auth:Keys, so anyone who can reach this server can join any room and use its TURN relay; set Auth:Keys for token mode (docs/access.md)")]
    public static partial void OpenMode(ILogger logger);
}
