using System.Reflection;

namespace Parley.Server.Hosting;

/// <summary>Builds the app after checking its configuration, so that a mistake ends the start before anything listens.</summary>
internal static class CheckedBuild
{
    /// <summary>The exit code of a configuration mistake: <c>EX_CONFIG</c> of sysexits.h.</summary>
    public const int ConfigurationErrorExitCode = 78;

    /// <summary>
    /// Builds the app, then checks every options section (<see cref="OptionsSection.Find"/>): keys that are not
    /// options (<see cref="UnknownOptionKeys"/>) and values that fail validation (<see cref="OptionValueProblems"/>).
    /// With any problem, writes one line per problem to stderr and ends the process with
    /// <see cref="ConfigurationErrorExitCode"/>, before any port is opened; without this, an unknown key was ignored
    /// and a bad value ended the start with an unhandled exception and its stack trace. When another program hosts
    /// the app (a test's WebApplicationFactory), the problems are thrown instead, one per line of the message.
    /// </summary>
    public static WebApplication BuildParley(this WebApplicationBuilder builder)
    {
        var sections = OptionsSection.Find(builder.Services);
        var app = builder.Build();
        var problems = FindProblems(app, sections);
        if (problems.Count == 0)
        {
            return app;
        }

        if (Assembly.GetEntryAssembly() != typeof(CheckedBuild).Assembly)
        {
            // Hosted by another program (WebApplicationFactory in tests), which owns the process: it gets the problems.
            throw new InvalidOperationException(string.Join(Environment.NewLine, problems));
        }

        foreach (var problem in problems)
        {
            Console.Error.WriteLine(problem);
        }

        Environment.Exit(ConfigurationErrorExitCode);
        return app; // not reached
    }

    /// <summary>Every problem of the sections' keys, then of their values, one line each (also <c>parley check-config</c>).</summary>
    public static List<string> FindProblems(WebApplication app, IReadOnlyList<OptionsSection> sections)
    {
        var problems = new List<string>();
        foreach (var section in sections)
        {
            problems.AddRange(UnknownOptionKeys.Find(app.Configuration, section));
        }

        foreach (var section in sections)
        {
            problems.AddRange(OptionValueProblems.Find(app.Services, section));
        }

        return problems;
    }
}
