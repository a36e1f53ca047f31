namespace Parley.Server.Tests.Operations;

/// <summary>The command line (System.CommandLine) of the real server process: --version, check-config, a misspelt command.</summary>
public sealed class CommandLineTests : IDisposable
{
    private const string Secret = "check-config-secret-0123456789abcdef0123";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly string workingDirectory = Directory.CreateTempSubdirectory("parley-commands-").FullName;

    public void Dispose() => Directory.Delete(workingDirectory, recursive: true);

    [Fact]
    public async Task Version_prints_the_version_and_exits_0()
    {
        var (exitCode, output, _) = await RunAsync(["--version"]);

        Assert.Equal(0, exitCode);
        Assert.Matches(@"^\d+\.\d+\.\d+", Assert.Single(output));
    }

    [Fact]
    public async Task Check_config_prints_every_effective_value_with_secrets_masked()
    {
        var (exitCode, output, errors) = await RunAsync(
            ["check-config", $"--Auth:Keys:APIdev={Secret}", "--Turn:SharedSecrets:0=turn-secret-0123456789", "--Signaling:MaxRooms=7",
             "--Signaling:IceServers:0:Urls:0=turn:turn.example.org", "--Signaling:IceServers:0:Username=u", "--Signaling:IceServers:0:Credential=ice-password"]);

        Assert.Equal(0, exitCode);
        Assert.Empty(errors);
        Assert.StartsWith("# Parley ", output[0], StringComparison.Ordinal);
        Assert.Contains("Signaling:MaxRooms = 7", output); // as configured
        Assert.Contains("Signaling:MaxParticipantsPerRoom = 16", output); // a default
        Assert.Contains("Turn:CredentialLifetime = 01:00:00", output);
        Assert.Contains("Server:Metrics = Loopback", output);
        Assert.Contains("Urls = http://localhost:8080", output);
        Assert.Contains("Auth:Keys:APIdev = (set, masked)", output);
        Assert.Contains("Turn:SharedSecrets:0 = (set, masked)", output);
        Assert.Contains("Signaling:IceServers:0:Credential = (set, masked)", output);
        Assert.Contains("Signaling:IceServers:0:Username = u", output);
        Assert.DoesNotContain(output, line => line.Contains(Secret, StringComparison.Ordinal) || line.Contains("turn-secret", StringComparison.Ordinal) || line.Contains("ice-password", StringComparison.Ordinal));
    }

    /// <summary>
    /// docs/configuration.md lists every option with its default: each key <c>check-config</c> prints when nothing is
    /// configured is in its section's table, and a default that is a value (not "none") is written in that row.
    /// </summary>
    [Fact]
    public async Task Every_option_check_config_prints_is_documented_in_configuration_md_with_its_default()
    {
        var (exitCode, output, _) = await RunAsync(["check-config"]);
        var documented = ConfigurationTables.Defaults(await File.ReadAllTextAsync(RepositoryFiles.PathOf("docs/configuration.md")));

        Assert.Equal(0, exitCode);
        var problems = new List<string>();
        var options = output.Where(line => !line.StartsWith('#')).Select(line => line.Split(" = ", 2)).ToList();
        foreach (var (key, value) in options.Select(pair => (pair[0], pair[1])))
        {
            if (key == "Auth:TokenMode")
            {
                continue; // not an option: whether any Auth:Keys are set, printed for the reader
            }

            if (!documented.TryGetValue(key, out var defaultText))
            {
                problems.Add($"{key} is not in docs/configuration.md");
            }
            else if (value is not "(none)" && !defaultText.Contains($"`{value}`", StringComparison.Ordinal))
            {
                problems.Add($"{key} defaults to {value}; docs/configuration.md says {defaultText}");
            }
        }

        Assert.True(options.Count > 100, $"check-config printed {options.Count} options");
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public async Task Check_config_exits_0_without_serving_and_78_with_each_problem_on_stderr_as_the_start_would()
    {
        Assert.Equal(0, (await RunAsync(["check-config", "--urls", $"http://127.0.0.1:{FreePorts.Tcp()}"])).ExitCode);

        var (exitCode, output, errors) = await RunAsync(["check-config", "--Turn:SharedSecret=0123456789abcdef0123", "--Signaling:MaxParticipantsPerRoom=1"]);

        Assert.Equal(78, exitCode);
        Assert.Empty(output);
        Assert.Equal(["Turn:SharedSecret is not an option; did you mean Turn:SharedSecrets?", "The field Signaling:MaxParticipantsPerRoom must be between 2 and 256."], errors);
    }

    [Fact]
    public async Task A_misspelt_command_is_a_usage_mistake_not_a_server_start()
    {
        var (exitCode, output, errors) = await RunAsync(["tokn", "--room", "r"]);

        Assert.Equal(64, exitCode);
        Assert.Empty(output);
        Assert.StartsWith("parley: unknown command 'tokn'", Assert.Single(errors), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_lists_the_commands()
    {
        var (exitCode, output, _) = await RunAsync(["--help"]);

        Assert.Equal(0, exitCode);
        var text = string.Join('\n', output);
        Assert.Contains("serve", text, StringComparison.Ordinal);
        Assert.Contains("token", text, StringComparison.Ordinal);
        Assert.Contains("check-config", text, StringComparison.Ordinal);
        Assert.Contains("--https", text, StringComparison.Ordinal);
    }

    private async Task<(int ExitCode, IReadOnlyList<string> Output, IReadOnlyList<string> Errors)> RunAsync(string[] arguments)
    {
        using var process = ParleyProcess.Start(arguments, workingDirectory: workingDirectory);
        var exitCode = await process.WaitForExitAsync(Deadline);
        return (exitCode, process.Output.Where(line => line.Length > 0).ToList(), process.Errors.Where(line => line.Length > 0).ToList());
    }
}
