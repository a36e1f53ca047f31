using System.CommandLine;
using Parley.Server.Hosting;

namespace Parley.Server.Commands;

/// <summary><c>parley [serve] [--https] [--Section:Key=value ...]</c>: runs the server until SIGTERM or Ctrl+C.</summary>
internal static class ServeCommand
{
    public static void Configure(Command command)
    {
        var https = new Option<bool>("--https")
        {
            Description = "Serve HTTPS on port 8443 beside HTTP on 8080, on every interface, with a self-signed certificate kept in Server:DataPath (as Server:Https=auto).",
        };
        command.Options.Add(https);
        // Everything else is configuration (--urls, --Turn:Port=3479, --environment Development), read by the host.
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(result =>
        {
            string[] args = [.. result.UnmatchedTokens];
            if (args.Length > 0 && !args[0].StartsWith('-') && !args[0].Contains('=', StringComparison.Ordinal))
            {
                // A misspelt command (parley tokn) would otherwise start the server with a meaningless argument.
                result.InvocationConfiguration.Error.WriteLine($"parley: unknown command '{args[0]}' (commands: serve, token, check-config; see parley --help)");
                return ParleyCommands.UsageErrorExitCode;
            }

            if (result.GetValue(https))
            {
                args = [.. args, $"--{ServerOptions.SectionName}:{nameof(ServerOptions.Https)}={HttpsMode.Auto}"];
            }

            return Serve(args);
        });
    }

    private static int Serve(string[] args)
    {
        var app = ParleyHost.Build(ParleyHost.CreateBuilder(args));
        app.Run();
        return 0;
    }
}
