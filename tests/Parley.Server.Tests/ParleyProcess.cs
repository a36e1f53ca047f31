using System.Diagnostics;
using System.Globalization;

namespace Parley.Server.Tests;

/// <summary>
/// The real server process: the built Parley.Server.dll run by <c>dotnet</c>, as an operator starts it (or another
/// build of it, such as the native binary), with its standard output and error collected line by line. Killed on
/// dispose if still running.
/// </summary>
public sealed class ParleyProcess : IDisposable
{
    private readonly Process process;
    private readonly List<string> output = [];
    private readonly List<string> errors = [];
    private readonly List<(string Text, TaskCompletionSource Seen)> awaited = [];

    private ParleyProcess(Process process)
    {
        this.process = process;
    }

    /// <param name="arguments">Command-line arguments after the dll.</param>
    /// <param name="environment">Environment variables added to (or, with null, removed from) the test's own.</param>
    /// <param name="workingDirectory">The content root, where the server reads appsettings.json. Defaults to the test's.</param>
    /// <param name="executable">An executable build of the server to run instead (the native binary); defaults to the dll, run by <c>dotnet</c>.</param>
    public static ParleyProcess Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null, string? workingDirectory = null, string? executable = null)
    {
        var start = new ProcessStartInfo(executable ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        if (executable is null)
        {
            start.ArgumentList.Add(typeof(Program).Assembly.Location);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[name] = value;
        }

        var started = new ParleyProcess(new Process { StartInfo = start });
        started.process.OutputDataReceived += (_, line) => started.Received(started.output, line.Data);
        started.process.ErrorDataReceived += (_, line) => started.Received(started.errors, line.Data);
        started.process.Start();
        started.process.BeginOutputReadLine();
        started.process.BeginErrorReadLine();
        return started;
    }

    public int Id => process.Id;

    /// <summary>Whether the process has ended (crashed, exited, or was killed).</summary>
    public bool HasExited => process.HasExited;

    /// <summary>The lines written to standard output so far.</summary>
    public IReadOnlyList<string> Output
    {
        get
        {
            lock (awaited)
            {
                return [.. output];
            }
        }
    }

    /// <summary>The lines written to standard error so far.</summary>
    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (awaited)
            {
                return [.. errors];
            }
        }
    }

    /// <summary>Waits until a line of standard output contains <paramref name="text"/>.</summary>
    /// <exception cref="TimeoutException">Not within <paramref name="timeout"/>, or the process ended first.</exception>
    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (awaited)
        {
            if (output.Exists(line => line.Contains(text, StringComparison.Ordinal)))
            {
                return;
            }

            awaited.Add((text, seen));
        }

        var exited = process.WaitForExitAsync();
        if (await Task.WhenAny(seen.Task, exited, Task.Delay(timeout)) != seen.Task)
        {
            throw new TimeoutException($"The server did not write '{text}' within {timeout} (exited: {process.HasExited}). Output:\n{string.Join('\n', Output)}\nErrors:\n{string.Join('\n', Errors)}");
        }
    }

    /// <summary>Waits for the process to end and for its output to be read; returns its exit code.</summary>
    /// <exception cref="TimeoutException">Still running after <paramref name="timeout"/>.</exception>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new TimeoutException($"The server still runs after {timeout}. Output:\n{string.Join('\n', Output)}\nErrors:\n{string.Join('\n', Errors)}");
        }

        return process.ExitCode;
    }

    /// <summary>Sends SIGTERM, as systemd or <c>docker stop</c> do.</summary>
    public Task TerminateAsync() => ProcessSignal.SendAsync(process.Id, "-TERM");

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill();
            process.WaitForExit();
        }

        process.Dispose();
    }

    private void Received(List<string> lines, string? line)
    {
        if (line is null)
        {
            return; // end of the stream
        }

        lock (awaited)
        {
            lines.Add(line);
            if (ReferenceEquals(lines, output))
            {
                foreach (var (text, seen) in awaited.Where(a => line.Contains(a.Text, StringComparison.Ordinal)))
                {
                    seen.TrySetResult();
                }
            }
        }
    }
}
