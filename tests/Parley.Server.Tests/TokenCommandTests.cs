using Microsoft.Extensions.Time.Testing;
using Parley.Access;

namespace Parley.Server.Tests;

/// <summary>
/// The real server binary's <c>token</c> command: a token on stdout, one line, signed with the configured key and
/// accepted by the validator; or one line on stderr and exit 64 (a usage mistake) or 78 (a configuration mistake),
/// without starting the server.
/// </summary>
public sealed class TokenCommandTests : IDisposable
{
    private const string Secret = "the-token-command-secret-0123456789abcdef";
    private static readonly TimeSpan ExitDeadline = TimeSpan.FromSeconds(30);

    private readonly string workingDirectory = Directory.CreateTempSubdirectory("parley-token-").FullName;

    public void Dispose() => Directory.Delete(workingDirectory, recursive: true);

    [Fact]
    public async Task A_token_for_the_room_and_identity_is_printed_and_validates()
    {
        var (exitCode, output, errors) = await RunAsync(["token", "--room", "lobby", "--identity", "alice", $"--Auth:Keys:APIdev={Secret}"]);

        Assert.Equal(0, exitCode);
        Assert.Empty(errors);
        var grant = Validate(Assert.Single(output), "APIdev");
        Assert.Equal("APIdev", grant.ApiKey);
        Assert.Equal("alice", grant.Identity);
        Assert.Null(grant.Name);
        Assert.True(grant.Video.RoomJoin);
        Assert.Equal("lobby", grant.Video.Room);
        Assert.False(grant.Video.RoomAdmin || grant.Video.RoomList || grant.Video.RoomCreate);
        Assert.InRange(grant.ExpiresAt - DateTimeOffset.UtcNow, TimeSpan.FromHours(5.9), TimeSpan.FromHours(6));
    }

    [Fact]
    public async Task Admin_name_ttl_and_a_key_chosen_among_several_from_the_environment()
    {
        var (exitCode, output, errors) = await RunAsync(
            ["token", "--room=Stage", "--identity=mod", "--name", "The Moderator", "--admin", "--ttl", "5m", "--key", "APIsecond", $"--Auth:Keys:APIfirst={Secret}x"],
            new Dictionary<string, string?> { ["Auth__Keys__APIsecond"] = Secret });

        Assert.Equal(0, exitCode);
        Assert.Empty(errors);
        var grant = Validate(Assert.Single(output), "APIsecond");
        Assert.Equal("APIsecond", grant.ApiKey);
        Assert.Equal("The Moderator", grant.Name);
        Assert.True(grant.Video.IsAdminOf("stage"));
        Assert.True(grant.Video.RoomList);
        Assert.True(grant.Video.RoomCreate);
        Assert.InRange(grant.ExpiresAt - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5));
    }

    [Fact]
    public async Task A_voice_channel_becomes_the_parley_channel_claim()
    {
        var (exitCode, output, errors) = await RunAsync(
            ["token", "--room", "plaza", "--identity", "alice", "--channel", """{"type":"positional","audibleDistance":40}""", $"--Auth:Keys:APIdev={Secret}"]);

        Assert.Equal(0, exitCode);
        Assert.Empty(errors);
        var channel = Validate(Assert.Single(output), "APIdev").Channel;
        Assert.NotNull(channel);
        Assert.Equal("positional", channel.Value.GetProperty("type").GetString());
        Assert.Equal(40, channel.Value.GetProperty("audibleDistance").GetDouble());
    }

    [Theory]
    [InlineData("token: no keys in Auth:Keys to sign with", "--room", "r", "--identity", "alice")]
    [InlineData("token: --room and --identity are required", "--identity", "alice", "--Auth:Keys:k=" + Secret)]
    [InlineData("token: --ttl 31d is not a duration", "--room", "r", "--identity", "alice", "--ttl", "31d", "--Auth:Keys:k=" + Secret)]
    [InlineData("token: --ttl 1w is not a duration", "--room", "r", "--identity", "alice", "--ttl", "1w", "--Auth:Keys:k=" + Secret)]
    [InlineData("token: --key other is not in Auth:Keys (it has k)", "--room", "r", "--identity", "alice", "--key", "other", "--Auth:Keys:k=" + Secret)]
    [InlineData("token: unknown option --nmae", "--room", "r", "--identity", "alice", "--nmae", "Alice", "--Auth:Keys:k=" + Secret)]
    [InlineData("token: --channel is not JSON", "--room", "r", "--identity", "alice", "--channel", "{type:positional", "--Auth:Keys:k=" + Secret)]
    [InlineData("token: --channel must be a JSON object", "--room", "r", "--identity", "alice", "--channel", "\"positional\"", "--Auth:Keys:k=" + Secret)]
    [InlineData("token: --channel: channel.type must be", "--room", "r", "--identity", "alice", "--channel", "{\"type\":\"3d\"}", "--Auth:Keys:k=" + Secret)]
    [InlineData("token: --channel: ", "--room", "r", "--identity", "alice", "--channel", "{\"type\":\"positional\",\"audibleDistance\":-1}", "--Auth:Keys:k=" + Secret)]
    public async Task A_usage_mistake_is_one_line_on_stderr_and_exit_64(string expected, params string[] arguments)
    {
        var (exitCode, output, errors) = await RunAsync(["token", .. arguments]);

        Assert.Equal(64, exitCode);
        Assert.Empty(output);
        Assert.StartsWith(expected, Assert.Single(errors), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_short_secret_is_the_configuration_mistake_that_stops_the_server()
    {
        var (exitCode, output, errors) = await RunAsync(["token", "--room", "r", "--identity", "alice", "--Auth:Keys:k=twenty-characters!!!"]);

        Assert.Equal(78, exitCode);
        Assert.Empty(output);
        Assert.Equal("Auth:Keys:k secret is 20 characters; at least 32 are needed (a shorter one can be guessed offline from any token it signed); make one with: openssl rand -base64 32", Assert.Single(errors));
    }

    private static AccessGrant Validate(string token, string apiKey)
    {
        var options = new AuthOptions();
        options.Keys[apiKey] = Secret;
        Assert.True(new AccessTokenValidator(options, new FakeTimeProvider(DateTimeOffset.UtcNow)).TryValidate(token, out var grant, out var refusal), $"{refusal.Code}: {refusal.Message}");
        return grant;
    }

    private async Task<(int ExitCode, IReadOnlyList<string> Output, IReadOnlyList<string> Errors)> RunAsync(string[] arguments, IReadOnlyDictionary<string, string?>? environment = null)
    {
        using var process = ParleyProcess.Start(arguments, environment, workingDirectory);
        var exitCode = await process.WaitForExitAsync(ExitDeadline);
        return (exitCode, process.Output, process.Errors);
    }
}
