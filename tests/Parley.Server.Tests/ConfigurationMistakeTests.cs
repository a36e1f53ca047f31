using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Parley.Server.Tests;

/// <summary>
/// The real server process with a configuration mistake in each source (command line, environment, appsettings.json
/// in its content root): it writes one line per problem to stderr, with no stack trace, and exits with 78 before
/// opening its HTTP or TURN port. The same host with valid options starts.
/// </summary>
public sealed class ConfigurationMistakeTests
{
    private const int ConfigurationErrorExitCode = 78;

    /// <summary>Bound for "ended quickly": a start that gets past the check runs until it is stopped.</summary>
    private static readonly TimeSpan ExitDeadline = TimeSpan.FromSeconds(30);

    [Fact]
    public Task Coturns_name_for_the_secret_on_the_command_line_is_refused_with_the_option_it_meant() =>
        AssertRefusedAsync(new() { Arguments = ["--Turn:SharedSecret=0123456789abcdef0123"] },
            "Turn:SharedSecret is not an option; did you mean Turn:SharedSecrets?");

    [Fact]
    public Task An_unknown_key_in_an_environment_variable_is_refused_whatever_its_case() =>
        AssertRefusedAsync(new() { Environment = { ["turn__sharedsecret"] = "0123456789abcdef0123" } },
            "Turn:sharedsecret is not an option; did you mean Turn:SharedSecrets?");

    [Fact]
    public Task An_unknown_key_inside_an_ice_server_in_appsettings_json_is_refused() =>
        AssertRefusedAsync(new()
        {
            AppSettings = """{ "Signaling": { "IceServers": [ { "Urls": [ "turn:turn.example.org" ], "Usernme": "parley", "Credential": "x" } ] } }""",
        },
            "Signaling:IceServers:0:Usernme is not an option; did you mean Signaling:IceServers:0:Username?");

    [Fact]
    public Task One_secret_given_to_the_list_of_secrets_is_refused_rather_than_dropped() =>
        AssertRefusedAsync(new() { Arguments = ["--Turn:SharedSecrets=0123456789abcdef0123"] },
            "Turn:SharedSecrets is a list: set Turn:SharedSecrets:0 (and :1, :2...) instead");

    [Fact]
    public Task A_key_near_no_option_is_refused_with_the_options_of_its_section() =>
        AssertRefusedAsync(new() { Arguments = ["--Server:Colour=blue"] },
            "Server:Colour is not an option; Server has InlineScheduling, Https, HttpsPort, CertificateReloadSeconds, DataPath, Metrics, IdleTrimMegabytes");

    [Fact]
    public Task Values_that_fail_validation_are_one_line_each_naming_the_option() =>
        AssertRefusedAsync(new() { Arguments = ["--Turn:SharedSecrets:0=fourteen-chars", "--Signaling:MaxParticipantsPerRoom=1"] },
            "Turn:SharedSecrets[0] must be at least 16 characters.",
            "The field Signaling:MaxParticipantsPerRoom must be between 2 and 256.");

    [Fact]
    public Task Several_problems_are_one_line_each_unknown_keys_first() =>
        AssertRefusedAsync(new()
        {
            Arguments = ["--Server:InlineSchedulng=false", "--Turn:SharedSecrets:0=fourteen-chars", "--Signaling:MaxParticipantsPerRoom=1"],
        },
            "Server:InlineSchedulng is not an option; did you mean Server:InlineScheduling?",
            "Turn:SharedSecrets[0] must be at least 16 characters.",
            "The field Signaling:MaxParticipantsPerRoom must be between 2 and 256.");

    [Fact]
    public Task A_value_of_the_wrong_type_is_refused_in_one_line() =>
        AssertRefusedAsync(new() { Environment = { ["Signaling__MaxRooms"] = "many" } },
            "Failed to convert configuration value 'many' at 'Signaling:MaxRooms' to type 'System.Int32'.");

    [Fact]
    public Task An_access_key_with_a_short_secret_is_refused_without_printing_the_secret() =>
        AssertRefusedAsync(new() { Arguments = ["--Auth:Keys:APIshort=31-characters-is-one-too-short!", "--Auth:Keys:APIok=0123456789abcdef0123456789abcdef"] },
            "Auth:Keys:APIshort secret is 31 characters; at least 32 are needed (a shorter one can be guessed offline from any token it signed); make one with: openssl rand -base64 32");

    [Fact]
    public async Task The_same_host_with_valid_options_in_every_source_starts()
    {
        // Every kind of nested key the check walks, in odd case: list items, objects in a list and their lists.
        using var start = new Start
        {
            Arguments = ["--turn:sharedsecrets:0=0123456789abcdef0123", "--Turn:AllowedPeerRanges:0=10.0.0.0/8", "--SERVER:inlinescheduling=false"],
            Environment = { ["Signaling__IceServers__1__Urls__0"] = "stun:stun.example.org", ["signaling__maxparticipantsperroom"] = "8" },
            AppSettings = """{ "Signaling": { "IceServers": [ { "urls": [ "turn:turn.example.org", "turns:turn.example.org" ], "Username": "parley", "credential": "x" } ] } }""",
        };
        using var process = start.Run();

        await process.WaitForOutputAsync("Parley is ready", ExitDeadline);

        using var http = new TcpClient();
        await http.ConnectAsync(IPAddress.Loopback, start.HttpPort);
        Assert.False(FreePorts.IsFree(start.TurnPort, udpToo: true));
        Assert.Empty(process.Errors);
    }

    private static async Task AssertRefusedAsync(Start start, params string[] expected)
    {
        using (start)
        using (var process = start.Run())
        {
            var exitCode = await process.WaitForExitAsync(ExitDeadline);
            Assert.Equal(expected, process.Errors);
            Assert.Equal(ConfigurationErrorExitCode, exitCode);
            Assert.DoesNotContain(process.Output.Concat(process.Errors), line => line.StartsWith("   at ", StringComparison.Ordinal) || line.Contains("Unhandled exception", StringComparison.Ordinal));
            Assert.DoesNotContain(process.Output, line => line.Contains("listening", StringComparison.OrdinalIgnoreCase));
            Assert.True(FreePorts.IsFree(start.HttpPort), "the HTTP port is held");
            Assert.True(FreePorts.IsFree(start.TurnPort, udpToo: true), "the TURN port is held");
        }
    }

    /// <summary>One start of the server: on free ports, TURN on, with a mistake or not in each configuration source.</summary>
    internal sealed class Start : IDisposable
    {
        private readonly string contentRoot = Directory.CreateTempSubdirectory("parley-config-").FullName;

        public int HttpPort { get; } = FreePorts.Tcp();

        public int TurnPort { get; } = FreePorts.UdpAndTcp();

        public List<string> Arguments { get; init; } = [];

        public Dictionary<string, string?> Environment { get; } = [];

        /// <summary>appsettings.json in the content root (the working directory), if any.</summary>
        public string? AppSettings { get; init; }

        public ParleyProcess Run()
        {
            if (AppSettings is not null)
            {
                File.WriteAllText(Path.Combine(contentRoot, "appsettings.json"), AppSettings);
            }

            string[] ports =
            [
                "--urls", $"http://127.0.0.1:{HttpPort.ToString(CultureInfo.InvariantCulture)}",
                "--Turn:ListenAddress=127.0.0.1",
                $"--Turn:Port={TurnPort.ToString(CultureInfo.InvariantCulture)}",
                "--Logging:LogLevel:Default=Information",
            ];
            return ParleyProcess.Start([.. ports, .. Arguments], Environment, contentRoot);
        }

        public void Dispose() => Directory.Delete(contentRoot, recursive: true);
    }
}
