using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Parley.Server.Tests.Scale;

/// <summary>
/// A real <c>redis-server</c> (Debian's package; test.sh installs it) on a free loopback port, with nothing saved to
/// disk (<c>--save "" --appendonly no</c>), so a restart comes back empty, as a Redis that lost its memory does.
/// It runs under a small <c>sh</c> watchdog that kills it once the test process goes away, even on a crash.
/// <see cref="Pause"/> (SIGSTOP) freezes it with its sockets open, as a stalled Redis or network does: commands
/// neither fail nor answer.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);

    // Prints the server's pid (SIGSTOP/SIGCONT must reach redis-server, not the shell), then waits for its stdin
    // (a pipe from this process) to close: the test process ended, so the server goes too.
    private const string Watchdog = "\"$@\" </dev/null & server=$!; echo \"redis-pid $server\"; cat >/dev/null; kill -9 $server 2>/dev/null; wait $server";

    private readonly ConcurrentQueue<string> output = new();
    private Process? watchdog;
    private TaskCompletionSource<int> pid = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private RedisServer(int port)
    {
        Port = port;
    }

    public int Port { get; }

    /// <summary>What Parley's <c>Redis:Configuration</c> takes: <c>127.0.0.1:PORT</c>.</summary>
    public string Configuration => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{Port}");

    /// <summary>Whether the server is frozen by <see cref="Pause"/>.</summary>
    public bool Paused { get; private set; }

    /// <summary>Everything redis-server (and the watchdog) wrote so far, for failure messages.</summary>
    public string Output => string.Join(Environment.NewLine, output);

    /// <summary>Starts redis-server on a free loopback port; returns once it accepts connections.</summary>
    public static async Task<RedisServer> StartAsync()
    {
        var server = new RedisServer(FreePorts.Tcp());
        try
        {
            await server.LaunchAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Freezes the server (SIGSTOP): connections stay open, nothing is answered.</summary>
    public void Pause()
    {
        Signal("-STOP");
        Paused = true;
        output.Enqueue("--- paused (SIGSTOP) ---");
    }

    /// <summary>Lets a paused server run again (SIGCONT); it answers what queued up meanwhile.</summary>
    public void Resume()
    {
        Signal("-CONT");
        Paused = false;
        output.Enqueue("--- resumed (SIGCONT) ---");
    }

    /// <summary>Kills the server (SIGKILL): connections drop, everything it held is lost.</summary>
    public async Task KillAsync()
    {
        output.Enqueue("--- killed (SIGKILL) ---");
        await StopAsync();
    }

    /// <summary>Kills the server and starts a new, empty one on the same port; returns once it accepts connections.</summary>
    public async Task RestartAsync()
    {
        await KillAsync();
        // The port can be held for a moment after the kill: a few attempts.
        for (var attempt = 1; ; attempt++)
        {
            output.Enqueue(string.Create(CultureInfo.InvariantCulture, $"--- started again (attempt {attempt}) ---"));
            try
            {
                await LaunchAsync();
                return;
            }
            catch (InvalidOperationException) when (attempt < 5)
            {
                await StopAsync();
                await Task.Delay(300);
            }
        }
    }

    /// <summary>Runs <c>redis-cli</c> against this server (Debian's redis-tools, installed with redis-server); returns its output lines.</summary>
    public async Task<IReadOnlyList<string>> CliAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("redis-cli") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])["-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        using var cli = Process.Start(start) ?? throw new InvalidOperationException("Could not start redis-cli.");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var lines = await cli.StandardOutput.ReadToEndAsync(timeout.Token);
        await cli.WaitForExitAsync(timeout.Token);
        return lines.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
    }

    private async Task LaunchAsync()
    {
        pid = new(TaskCreationOptions.RunContinuationsAsynchronously);
        ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
        var start = new ProcessStartInfo("sh")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var argument in (string[])["-c", Watchdog, "sh", "redis-server",
            "--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
            "--save", "", "--appendonly", "no", "--daemonize", "no", "--loglevel", "notice"])
        {
            start.ArgumentList.Add(argument);
        }

        Paused = false;
        watchdog = Process.Start(start) ?? throw new InvalidOperationException("Could not start redis-server.");
        watchdog.OutputDataReceived += (_, e) => Received(e.Data);
        watchdog.ErrorDataReceived += (_, e) => Received(e.Data);
        watchdog.BeginOutputReadLine();
        watchdog.BeginErrorReadLine();

        var exited = watchdog.WaitForExitAsync();
        var first = await Task.WhenAny(ready.Task, exited, Task.Delay(StartTimeout));
        if (first != ready.Task)
        {
            throw new InvalidOperationException(
                $"redis-server did not accept connections on port {Port} within {StartTimeout} (exited: {watchdog.HasExited}). Is it installed (test.sh installs it)?{Environment.NewLine}{Output}");
        }
    }

    private void Received(string? line)
    {
        if (line is null)
        {
            return;
        }

        output.Enqueue(line);
        if (line.StartsWith("redis-pid ", StringComparison.Ordinal))
        {
            pid.TrySetResult(int.Parse(line.AsSpan("redis-pid ".Length), CultureInfo.InvariantCulture));
        }
        else if (line.Contains("Ready to accept connections", StringComparison.Ordinal))
        {
            ready.TrySetResult();
        }
    }

    private void Signal(string signal)
    {
        if (!pid.Task.IsCompletedSuccessfully)
        {
            throw new InvalidOperationException("redis-server is not running.");
        }

        if (!ProcessSignal.SendAsync(pid.Task.Result, signal).GetAwaiter().GetResult())
        {
            throw new InvalidOperationException($"kill {signal} failed for redis-server (pid {pid.Task.Result}).");
        }
    }

    /// <summary>SIGKILL to redis-server, then the watchdog; waits until both are gone.</summary>
    private async Task StopAsync()
    {
        if (watchdog is null)
        {
            return;
        }

        try
        {
            if (pid.Task.IsCompletedSuccessfully)
            {
                await ProcessSignal.SendAsync(pid.Task.Result, "-9");
            }

            if (!watchdog.HasExited)
            {
                watchdog.Kill(entireProcessTree: true);
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await watchdog.WaitForExitAsync(timeout.Token);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        finally
        {
            watchdog.Dispose();
            watchdog = null;
            Paused = false;
            pid = new(TaskCreationOptions.RunContinuationsAsynchronously); // never signal a pid the system may reuse
        }
    }
}
