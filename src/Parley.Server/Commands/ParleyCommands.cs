using System.CommandLine;

namespace Parley.Server.Commands;

/// <summary>
/// The command line (System.CommandLine): <c>parley</c> or <c>parley serve</c> runs the server
/// (<see cref="ServeCommand"/>); <c>token</c> (<see cref="TokenCommand"/>) and <c>check-config</c>
/// (<see cref="CheckConfigCommand"/>) run instead of it, before anything listens; <c>--version</c> and <c>--help</c>.
/// Configuration keys pass through as the server takes them (<c>--urls http://0.0.0.0:8080</c>,
/// <c>--Turn:Port=3479</c>): they are not options of the command line but of the configuration.
/// </summary>
internal static class ParleyCommands
{
    /// <summary>The exit code of a command used wrongly: <c>EX_USAGE</c> of sysexits.h.</summary>
    public const int UsageErrorExitCode = 64;

    /// <summary>Parses <paramref name="args"/>, runs the command they name and returns the process's exit code.</summary>
    public static int Run(string[] args) => Run(args, Console.Out, Console.Error);

    public static int Run(string[] args, TextWriter output, TextWriter errors)
    {
        ArgumentNullException.ThrowIfNull(args);
        var root = new RootCommand("Parley: self-hosted voice rooms, with their own STUN/TURN server. Without a command, runs the server (as `serve`).");
        ServeCommand.Configure(root);
        var serve = new Command("serve", "Runs the server (the default): HTTP(S), signaling, STUN/TURN. Configuration keys follow, as --Section:Key=value (docs/configuration.md).");
        ServeCommand.Configure(serve);
        root.Subcommands.Add(serve);
        root.Subcommands.Add(TokenCommand.Create());
        root.Subcommands.Add(CheckConfigCommand.Create());

        // '@file' is a configuration value here, never a response file.
        var result = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (result.Errors.Count > 0)
        {
            var command = result.CommandResult.Command == root ? "parley" : result.CommandResult.Command.Name;
            errors.WriteLine($"{command}: {result.Errors[0].Message} (see parley {(command == "parley" ? "" : command + " ")}--help)");
            return UsageErrorExitCode;
        }

        return result.Invoke(new InvocationConfiguration
        {
            Output = output,
            Error = errors,
            // The server handles SIGTERM itself (goaway, then a clean exit 0), and the test host's exceptions
            // (WebApplicationFactory stops the entry point with one) must pass through.
            ProcessTerminationTimeout = null,
            EnableDefaultExceptionHandler = false,
        });
    }

    /// <summary>
    /// The configuration arguments among the tokens the command line did not take, in order, as the configuration's
    /// command-line source reads them; false with one sentence for a token that is neither.
    /// </summary>
    /// <param name="isConfiguration">Which option names are configuration keys.</param>
    internal static bool TryTakeConfiguration(IReadOnlyList<string> unmatched, Func<string, bool> isConfiguration, out List<string> configuration, out string mistake)
    {
        configuration = [];
        mistake = "";
        for (var i = 0; i < unmatched.Count; i++)
        {
            var token = unmatched[i];
            if (!token.StartsWith('-'))
            {
                mistake = $"unexpected argument '{token}'";
                return false;
            }

            var name = token.TrimStart('-');
            var equals = name.IndexOf('=', StringComparison.Ordinal);
            if (!isConfiguration(equals < 0 ? name : name[..equals]))
            {
                mistake = $"unknown option {token}";
                return false;
            }

            configuration.Add(token);
            if (equals < 0 && i + 1 < unmatched.Count)
            {
                configuration.Add(unmatched[++i]);
            }
        }

        return true;
    }
}
