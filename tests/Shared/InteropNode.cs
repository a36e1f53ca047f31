using System.Diagnostics;

namespace Parley.Tests.Shared;

/// <summary>
/// Runs a node script of tests/interop/, where the reference implementations Parley must interoperate with are
/// installed from npm (livekit-server-sdk: AccessToken, TokenVerifier, RoomServiceClient, WebhookReceiver).
/// test.sh installs them with <c>npm ci --prefix tests/interop</c> when node_modules is missing; without them, or
/// without node, a test fails with a message that says so instead of being skipped.
/// </summary>
internal static class InteropNode
{
    /// <summary>Bound for one script run: a script that hangs (a promise never settled) fails its test instead.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <summary>tests/interop/ of this checkout, found above the test assembly (tests/X/bin/Debug/net10.0/).</summary>
    public static string Directory { get; } = FindInteropDirectory();

    /// <summary>
    /// Runs <c>node tests/interop/<paramref name="script"/> args...</c> with <paramref name="standardInput"/> written
    /// to its stdin, and returns its stdout.
    /// </summary>
    /// <exception cref="InvalidOperationException">
    /// node or the npm packages are missing, the script exits non-zero (its stderr is in the message), or it runs past
    /// <paramref name="timeout"/>.
    /// </exception>
    public static async Task<string> RunAsync(string script, IEnumerable<string>? arguments = null, string? standardInput = null, TimeSpan? timeout = null)
    {
        if (!System.IO.Directory.Exists(Path.Combine(Directory, "node_modules", "livekit-server-sdk")))
        {
            throw new InvalidOperationException($"{Path.Combine(Directory, "node_modules")} has no livekit-server-sdk: run `npm ci --prefix tests/interop` (test.sh does when node_modules is missing).");
        }

        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = Directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(Directory, script));
        foreach (var argument in arguments ?? [])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception error)
        {
            throw new InvalidOperationException($"Cannot start node for tests/interop/{script} ({error.Message}); install Node.js (test.sh does on Debian).", error);
        }

        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        try
        {
            await process.StandardInput.WriteAsync(standardInput ?? string.Empty);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The script ended without reading its input (a crash at start): its exit code and stderr tell why.
        }

        using var deadline = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"node tests/interop/{script} still ran after {timeout ?? DefaultTimeout}. Stderr:\n{await errors}");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"node tests/interop/{script} exited with {process.ExitCode}. Stderr:\n{await errors}");
        }

        return await output;
    }

    private static string FindInteropDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var interop = Path.Combine(directory.FullName, "tests", "interop");
            if (File.Exists(Path.Combine(interop, "package.json")))
            {
                return interop;
            }
        }

        throw new InvalidOperationException($"No tests/interop/package.json above {AppContext.BaseDirectory}.");
    }
}
