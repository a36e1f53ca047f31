namespace Parley.Server.Commands;

/// <summary>
/// Commands that run instead of the server, chosen by the first argument: <c>token</c> (<see cref="TokenCommand"/>).
/// They run before the web host is built, so they open no port and log nothing.
/// </summary>
internal static class ParleyCommands
{
    /// <summary>The exit code of a command used wrongly: <c>EX_USAGE</c> of sysexits.h.</summary>
    public const int UsageErrorExitCode = 64;

    /// <summary>True when <paramref name="args"/> name a command, which then has run and set <paramref name="exitCode"/>.</summary>
    public static bool TryRun(string[] args, out int exitCode)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length > 0 && string.Equals(args[0], TokenCommand.Name, StringComparison.Ordinal))
        {
            exitCode = TokenCommand.Run(args[1..], Console.Out, Console.Error);
            return true;
        }

        exitCode = 0;
        return false;
    }
}
