using System.Diagnostics;
using System.Text.RegularExpressions;
using Parley.Signaling;
using Parley.Turn;

namespace Parley.Server.Tests.Operations;

/// <summary>Runs where <c>systemd-analyze</c> is installed; skipped, and counted so, elsewhere.</summary>
public sealed class SystemdFactAttribute : FactAttribute
{
    public SystemdFactAttribute()
    {
        if (!File.Exists("/usr/bin/systemd-analyze") && !File.Exists("/bin/systemd-analyze"))
        {
            Skip = "systemd-analyze is not installed";
        }
    }
}

/// <summary>Runs where a Docker engine answers (<c>docker info</c>); skipped, and counted so, elsewhere.</summary>
public sealed class DockerFactAttribute : FactAttribute
{
    public DockerFactAttribute()
    {
        if (!PackagingTests.DockerEngineAnswers())
        {
            Skip = "No Docker engine (docker info fails)";
        }
    }
}

/// <summary>The Dockerfile and deploy/parley.service: built and verified by their own tools where those are here.</summary>
public sealed partial class PackagingTests
{
    private static readonly string Root = RepositoryFiles.Root;

    [SystemdFact]
    public async Task The_service_unit_passes_systemd_analyze_verify_without_a_warning()
    {
        // verify checks that ExecStart's binary exists; the unit's is where an operator installs it, not here.
        var directory = Directory.CreateTempSubdirectory("parley-unit-").FullName;
        try
        {
            var unit = Path.Combine(directory, "parley.service");
            await File.WriteAllTextAsync(unit, (await File.ReadAllTextAsync(Path.Combine(Root, "deploy", "parley.service"))).Replace("/opt/parley/Parley.Server", "/bin/true", StringComparison.Ordinal));

            var (exitCode, output) = await RunAsync("systemd-analyze", "verify", unit);

            Assert.True(exitCode == 0 && output.Length == 0, $"systemd-analyze verify exited {exitCode}:\n{output}");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task The_service_unit_is_hardened_and_allows_descriptors_for_every_connection_and_relay()
    {
        var unit = await File.ReadAllTextAsync(Path.Combine(Root, "deploy", "parley.service"));

        var limit = int.Parse(Setting().Match(unit + "\n").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(limit >= new SignalingOptions().MaxConnections + (2 * new TurnOptions().MaxAllocations), $"LimitNOFILE={limit}");
        foreach (var line in new[] { "NoNewPrivileges=yes", "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes", "CapabilityBoundingSet=", "RestartPreventExitStatus=78", "KillSignal=SIGTERM" })
        {
            Assert.Contains("\n" + line + "\n", unit, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("\nUser=root", unit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_dockerfile_is_multi_stage_non_root_and_declares_its_ports_and_volume()
    {
        var dockerfile = await File.ReadAllTextAsync(Path.Combine(Root, "Dockerfile"));

        Assert.Equal(2, Regex.Count(dockerfile, "^FROM ", RegexOptions.Multiline));
        Assert.Matches("(?m)^FROM .*chiseled.* AS runtime$", dockerfile);
        Assert.Matches("(?m)^USER [1-9][0-9]*$", dockerfile);
        Assert.Matches("(?m)^VOLUME \\[\"/data\"\\]$", dockerfile);
        foreach (var port in new[] { "8080/tcp", "8443/tcp", "3478/udp", "3478/tcp", "5349/tcp", "49152-65535/udp" })
        {
            Assert.Matches($"(?m)^EXPOSE .*{Regex.Escape(port)}", dockerfile);
        }
    }

    [DockerFact]
    public async Task The_image_builds()
    {
        var (exitCode, output) = await RunAsync("docker", "build", "-t", "parley-test:latest", Root);

        Assert.True(exitCode == 0, output);
    }

    internal static bool DockerEngineAnswers()
    {
        try
        {
            using var docker = Process.Start(new ProcessStartInfo("docker", "info") { RedirectStandardOutput = true, RedirectStandardError = true });
            if (docker is null || !docker.WaitForExit(TimeSpan.FromSeconds(20)))
            {
                return false;
            }

            return docker.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // no docker client at all
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, (await output + await errors).Trim());
    }

    [GeneratedRegex(@"\nLimitNOFILE=(\d+)\n")]
    private static partial Regex Setting();
}
