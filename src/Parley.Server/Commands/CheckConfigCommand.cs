using System.CommandLine;
using Parley.Server.Hosting;

namespace Parley.Server.Commands;

/// <summary>
/// <c>parley check-config [--Section:Key=value ...]</c>: reads the configuration as the server would (appsettings.json,
/// <c>appsettings.{Environment}.json</c>, environment variables, these arguments), runs the start-up check on it, and
/// prints every option's effective value, defaults included, with secrets masked; or, with any problem, one line per
/// problem on stderr and exit 78, the code the server's start would end with. Opens no port, writes no file.
/// </summary>
internal static class CheckConfigCommand
{
    public const string Name = "check-config";

    public static Command Create()
    {
        var command = new Command(Name, "Checks the configuration as the server's start would, and prints every option's effective value with secrets masked; exits 78 on a problem. Configuration keys may follow, as for the server.");
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(result => Run([.. result.UnmatchedTokens], result.InvocationConfiguration.Output, result.InvocationConfiguration.Error));
        return command;
    }

    private static int Run(string[] args, TextWriter output, TextWriter errors)
    {
        var builder = ParleyHost.CreateBuilder(args, forCheckOnly: true);
        var sections = OptionsSection.Find(builder.Services);
        List<string> problems;
        WebApplication app;
        try
        {
            app = builder.Build();
            problems = CheckedBuild.FindProblems(app, sections);
        }
        catch (InvalidOperationException error)
        {
            errors.WriteLine(error.Message);
            return CheckedBuild.ConfigurationErrorExitCode;
        }

        if (problems.Count > 0)
        {
            foreach (var problem in problems)
            {
                errors.WriteLine(problem);
            }

            return CheckedBuild.ConfigurationErrorExitCode;
        }

        output.WriteLine($"# Parley {ParleyVersion.Text}: the configuration is valid. Effective values (secrets masked):");
        output.WriteLine($"Urls = {app.Configuration["urls"] ?? DefaultUrls.Value}");
        foreach (var (key, value) in app.Configuration.GetSection("Kestrel").AsEnumerable(makePathsRelative: false).Where(entry => entry.Value is not null).OrderBy(entry => entry.Key, StringComparer.Ordinal))
        {
            output.WriteLine(EffectiveConfiguration.Line(key, value));
        }

        foreach (var section in sections)
        {
            EffectiveConfiguration.Write(output, section.Name, section.Value(app.Services));
        }

        return 0;
    }
}
