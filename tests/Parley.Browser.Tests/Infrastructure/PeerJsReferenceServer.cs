using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Parley.Browser.Tests.Infrastructure;

/// <summary>
/// peerjs-server itself (npm <c>peer</c> 1.0.2 of tests/interop, its <c>peerjs</c> command) on a free loopback port with
/// path <c>/peerjs</c>: the control that PeerJS tests run against too. Under the same stdin watchdog as
/// <see cref="ParleyServer"/>, so a crashed test run leaves no node behind; killed on dispose.
/// </summary>
public sealed class PeerJsReferenceServer : IAsyncDisposable
{
    private readonly Process process;
    private readonly ConcurrentQueue<string> output = new();

    private PeerJsReferenceServer(Process process, int port)
    {
        this.process = process;
        Port = port;
    }

    public int Port { get; }

    public string Output => string.Join(Environment.NewLine, output);

    public static async Task<PeerJsReferenceServer> StartAsync()
    {
        var interop = Parley.Tests.Shared.InteropNode.Directory;
        var command = Path.Combine(interop, "node_modules", "peer", "dist", "bin", "peerjs.js");
        if (!File.Exists(command))
        {
            throw new InvalidOperationException($"{command} is missing: run `npm ci --ignore-scripts --prefix tests/interop` (test.sh does).");
        }

        var port = ParleyServer.FreeLoopbackPort();
        var start = new ProcessStartInfo("sh")
        {
            WorkingDirectory = interop,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        const string Watchdog = "\"$@\" </dev/null & server=$!; cat >/dev/null; kill $server 2>/dev/null; wait $server";
        foreach (var argument in (string[])["-c", Watchdog, "sh", "node", command, "--host", "127.0.0.1",
                     "--port", port.ToString(CultureInfo.InvariantCulture), "--path", "/peerjs"])
        {
            start.ArgumentList.Add(argument);
        }

        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start node.");
        var server = new PeerJsReferenceServer(process, port);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            server.output.Enqueue(e.Data);
            if (e.Data.StartsWith("Started PeerServer", StringComparison.Ordinal)) started.TrySetResult();
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) server.output.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await started.Task.WaitAsync(TimeSpan.FromSeconds(20));
            return server;
        }
        catch (TimeoutException)
        {
            await server.DisposeAsync();
            throw new InvalidOperationException($"peerjs-server did not start within 20 s:\n{server.Output}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (InvalidOperationException)
        {
        }

        process.Dispose();
    }
}
