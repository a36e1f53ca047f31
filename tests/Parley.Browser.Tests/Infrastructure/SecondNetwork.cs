using System.Diagnostics;
using System.Net;

namespace Parley.Browser.Tests.Infrastructure;

/// <summary>
/// A second network namespace, joined to the test's own by a veth pair (10.77.0.1 here, 10.77.0.2 there), for a
/// participant whose network a test can cut and restore (<see cref="CutAsync"/>: the link goes down, as when
/// Wi-Fi drops). Only created inside a loopback-only namespace of the test run's own (test.sh), never on a
/// machine's real network: <see cref="WhyUnavailable"/>. The namespace ends with its holder process.
/// </summary>
public sealed class SecondNetwork : IAsyncDisposable
{
    public static readonly IPAddress HereAddress = IPAddress.Parse("10.77.0.1");
    public static readonly IPAddress ThereAddress = IPAddress.Parse("10.77.0.2");
    private const string HereLink = "parley-here";
    private const string ThereLink = "parley-there";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(10);

    private readonly Process holder;
    private readonly string chromiumWrapper;

    private SecondNetwork(Process holder)
    {
        this.holder = holder;
        chromiumWrapper = Path.Combine(Path.GetTempPath(), $"parley-chromium-netns-{holder.Id}.sh");
    }

    /// <summary>The namespace, for <c>nsenter --net=</c>.</summary>
    public string NamespacePath => $"/proc/{holder.Id}/ns/net";

    /// <summary>
    /// Null when a second network can be made here: the test runs in a namespace with nothing but loopback
    /// (so the veth pair touches no real network), as root, with <c>unshare</c>, <c>nsenter</c> and <c>ip</c>.
    /// </summary>
    public static string? WhyUnavailable()
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root")
        {
            return "needs root on Linux";
        }

        try
        {
            var links = File.ReadAllLines("/proc/net/dev").Skip(2).Select(line => line.Split(':')[0].Trim()).ToArray();
            if (links is not ["lo"])
            {
                return $"runs only in a loopback-only network namespace (test.sh makes one); here: {string.Join(", ", links)}";
            }
        }
        catch (IOException ex)
        {
            return ex.Message;
        }

        string[] tools = ["unshare", "nsenter", "ip"];
        var missing = tools.Where(tool => !new[] { "/usr/bin", "/bin", "/usr/sbin", "/sbin" }.Any(dir => File.Exists(Path.Combine(dir, tool)))).ToArray();
        return missing.Length == 0 ? null : $"needs {string.Join(", ", missing)}";
    }

    public static async Task<SecondNetwork> CreateAsync()
    {
        // The holder keeps the namespace alive; it ends by itself after 10 minutes if the test run dies.
        var start = new ProcessStartInfo("unshare") { UseShellExecute = false, RedirectStandardInput = true };
        foreach (var argument in (string[])["-n", "sh", "-c", "ip link set lo up && exec timeout 600 cat"])
        {
            start.ArgumentList.Add(argument);
        }

        var network = new SecondNetwork(Process.Start(start) ?? throw new InvalidOperationException("unshare did not start"));
        try
        {
            await network.WaitForNamespaceAsync();
            var pid = network.holder.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await RunAsync("ip", "link", "add", HereLink, "type", "veth", "peer", "name", ThereLink, "netns", pid);
            // No IPv6 link-local addresses: the kernel adds one a second or two after a link comes up (duplicate
            // address detection), and Chromium, seeing the new address, fails the requests under way with
            // ERR_NETWORK_CHANGED: a page loading then lost its scripts and never joined (a fresh-clone CI run
            // under load). The links carry IPv4 only, so nothing changes under a browser after it starts.
            await RunAsync("ip", "link", "set", HereLink, "addrgenmode", "none");
            await RunAsync("ip", "addr", "add", $"{HereAddress}/30", "dev", HereLink);
            await RunAsync("ip", "link", "set", HereLink, "up");
            await RunAsync("nsenter", $"--net={network.NamespacePath}", "ip", "link", "set", ThereLink, "addrgenmode", "none");
            await RunAsync("nsenter", $"--net={network.NamespacePath}", "ip", "addr", "add", $"{ThereAddress}/30", "dev", ThereLink);
            await RunAsync("nsenter", $"--net={network.NamespacePath}", "ip", "link", "set", ThereLink, "up");
            await File.WriteAllTextAsync(network.chromiumWrapper,
                $"#!/bin/sh\nexec nsenter --net={network.NamespacePath} -- {BrowserSuite.ChromiumPath} \"$@\"\n");
            if (OperatingSystem.IsLinux())
            {
                File.SetUnixFileMode(network.chromiumWrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
            return network;
        }
        catch
        {
            await network.DisposeAsync();
            throw;
        }
    }

    /// <summary>An executable that starts Chromium inside the second network (for Playwright's ExecutablePath).</summary>
    public string ChromiumWrapper => chromiumWrapper;

    /// <summary>Takes the link down: nothing passes between the two namespaces until <see cref="RestoreAsync"/>.</summary>
    public Task CutAsync() => SetLinkAsync("down");

    public Task RestoreAsync() => SetLinkAsync("up");

    private Task SetLinkAsync(string state) => holder.HasExited
        ? throw new InvalidOperationException("The second network is gone (its holder process exited).")
        : RunAsync("ip", "link", "set", HereLink, state);

    private async Task WaitForNamespaceAsync()
    {
        var ours = new FileInfo("/proc/self/ns/net").LinkTarget;
        for (var i = 0; i < 100; i++)
        {
            if (holder.HasExited)
            {
                throw new InvalidOperationException($"unshare -n exited with {holder.ExitCode}");
            }

            if (new FileInfo(NamespacePath).LinkTarget is { } theirs && theirs != ours)
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("The second network namespace did not appear within 5 s.");
    }

    private static async Task RunAsync(string command, params string[] arguments)
    {
        var start = new ProcessStartInfo(command) { UseShellExecute = false, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{command} did not start");
        using var timeout = new CancellationTokenSource(CommandTimeout);
        var error = await process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{command} {string.Join(' ', arguments)} failed ({process.ExitCode}): {error}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!holder.HasExited)
        {
            holder.Kill(entireProcessTree: true);
            await holder.WaitForExitAsync();
        }

        holder.Dispose();
        // The veth pair went with the namespace; this end too, unless something still holds it.
        try
        {
            await RunAsync("ip", "link", "del", HereLink);
        }
        catch (InvalidOperationException)
        {
        }

        File.Delete(chromiumWrapper);
    }
}
