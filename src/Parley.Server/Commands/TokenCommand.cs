using System.CommandLine;
using Parley.Access;
using Parley.Server.Hosting;

namespace Parley.Server.Commands;

/// <summary>
/// <c>token --room R --identity alice [--name Alice] [--admin] [--ttl 1h] [--key K] [--channel JSON]</c>: prints an access token for
/// one room, signed with a key of <c>Auth:Keys</c>, to try token mode without an app backend (docs/access.md). The
/// keys come from the server's own configuration, read as the server reads it: appsettings.json and
/// appsettings.{Environment}.json in the working directory, environment variables (<c>Auth__Keys__mykey</c>), and
/// the remaining arguments (<c>--Auth:Keys:mykey=...</c>).
/// </summary>
internal static class TokenCommand
{
    public const string Name = "token";

    private const string Usage = "usage: token --room R --identity ID [--name NAME] [--admin] [--ttl 30s|5m|1h|1d] [--key API_KEY] [--channel JSON] [--Auth:Keys:API_KEY=SECRET]";

    public static Command Create()
    {
        var command = new Command(Name, "Prints an access token for the room, signed with a key of Auth:Keys (docs/access.md). Configuration keys may follow: --Auth:Keys:API_KEY=SECRET.");
        var symbols = new TokenArguments.Symbols();
        foreach (var option in symbols.All)
        {
            command.Options.Add(option);
        }

        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(result => Run(result, symbols, result.InvocationConfiguration.Output, result.InvocationConfiguration.Error));
        return command;
    }

    private static int Run(ParseResult result, TokenArguments.Symbols symbols, TextWriter output, TextWriter errors)
    {
        if (!TokenArguments.TryParse(result, symbols, out var arguments, out var mistake))
        {
            errors.WriteLine($"token: {mistake} ({Usage})");
            return ParleyCommands.UsageErrorExitCode;
        }

        var configuration = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [.. arguments.Configuration] }).Configuration;
        var options = new AuthOptions();
        var problems = new List<string>(UnknownOptionKeys.Find(configuration, new OptionsSection(AuthOptions.SectionName, typeof(AuthOptions))));
        try
        {
            configuration.GetSection(AuthOptions.SectionName).Bind(options);
        }
        catch (InvalidOperationException error)
        {
            problems.Add(error.Message);
        }

        if (problems.Count == 0 && new AuthOptionsValidator().Validate(null, options) is { Failed: true } invalid)
        {
            problems.AddRange(invalid.Failures);
        }

        if (problems.Count > 0)
        {
            // The same mistakes stop the server's start, with the same lines and exit code.
            foreach (var problem in problems)
            {
                errors.WriteLine(problem);
            }

            return CheckedBuild.ConfigurationErrorExitCode;
        }

        if (!options.TokenMode)
        {
            errors.WriteLine("token: no keys in Auth:Keys to sign with; set one (--Auth:Keys:mykey=<secret of 32+ characters>, Auth__Keys__mykey, or appsettings.json)");
            return ParleyCommands.UsageErrorExitCode;
        }

        var apiKey = arguments.Key ?? options.Keys.Keys.Order(StringComparer.Ordinal).First();
        if (!options.Keys.TryGetValue(apiKey, out var secret))
        {
            errors.WriteLine($"token: --key {apiKey} is not in Auth:Keys (it has {string.Join(", ", options.Keys.Keys.Order(StringComparer.Ordinal))})");
            return ParleyCommands.UsageErrorExitCode;
        }

        var video = new VideoGrant
        {
            RoomJoin = true,
            Room = arguments.Room,
            RoomAdmin = arguments.Admin,
            RoomList = arguments.Admin,
            RoomCreate = arguments.Admin,
        };
        output.WriteLine(new AccessTokenMinter(TimeProvider.System).Mint(apiKey, secret, arguments.Identity, arguments.DisplayName, null, video, arguments.Ttl, arguments.Channel));
        return 0;
    }
}
