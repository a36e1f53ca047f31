namespace Parley.Server.Tests;

/// <summary>
/// The real server says at start which access mode it is in: open mode with one warning (event 4001), token mode with
/// the number and names of its keys and never a secret; keys under Auth:Keys are names of the operator's choosing,
/// not unknown options.
/// </summary>
public sealed class AccessModeTests
{
    private const string SecretOne = "first-secret-0123456789abcdef-0123456789";
    private const string SecretTwo = "second-secret-0123456789abcdef-0123456789";
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Without_keys_the_start_warns_once_that_anyone_can_join()
    {
        using var start = new ConfigurationMistakeTests.Start();
        using var process = start.Run();

        await process.WaitForOutputAsync("Parley is ready", StartDeadline);

        var output = process.Output.ToList();
        var warning = Assert.Single(output, line => line.Contains("Open mode: no Auth:Keys", StringComparison.Ordinal));
        Assert.Equal("      Open mode: no Auth:Keys, so anyone who can reach this server can join any room and use its TURN relay; set Auth:Keys for token mode (docs/access.md)", warning);
        Assert.Equal("warn: Parley.Access[4001]", output[output.IndexOf(warning) - 1]);
        Assert.DoesNotContain(output, line => line.Contains("Token mode", StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_keys_from_two_sources_the_start_names_them_and_never_their_secrets()
    {
        using var start = new ConfigurationMistakeTests.Start
        {
            Arguments = [$"--Auth:Keys:APIone={SecretOne}"],
            Environment = { ["Auth__Keys__APItwo"] = SecretTwo },
        };
        using var process = start.Run();

        await process.WaitForOutputAsync("Parley is ready", StartDeadline);

        var output = process.Output.ToList();
        var line = Assert.Single(output, line => line.Contains("Token mode", StringComparison.Ordinal));
        Assert.Equal("      Token mode: every join needs an access token signed with one of the 2 key(s) in Auth:Keys (APIone, APItwo); see docs/access.md", line);
        Assert.Equal("info: Parley.Access[4000]", output[output.IndexOf(line) - 1]);
        Assert.DoesNotContain(output, line => line.Contains("Open mode", StringComparison.Ordinal));
        Assert.DoesNotContain(output.Concat(process.Errors), line => line.Contains(SecretOne[..12], StringComparison.Ordinal) || line.Contains(SecretTwo[..12], StringComparison.Ordinal));
        Assert.Empty(process.Errors);
    }
}
