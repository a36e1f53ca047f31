using System.Collections.Concurrent;
using System.Diagnostics;
using Parley.Tests.Shared;

namespace Parley.Browser.Tests.Infrastructure;

/// <summary>
/// The reference WebTorrent tracker, npm <c>bittorrent-tracker</c>'s server with only its WebSocket part
/// (tests/interop/reference-tracker.mjs), on a free loopback port: what a tracker room of Parley's SDK meets through
/// when it meets through "any tracker". Ended by closing its stdin on dispose.
/// </summary>
public sealed class ReferenceTracker : IAsyncDisposable
{
    private readonly Process process;
    private readonly ConcurrentQueue<string> log = new();
    private readonly Lock gate = new();
    private readonly List<(int Count, TaskCompletionSource Done)> startWaiters = [];
    private int starts;

    private ReferenceTracker(Process process, Uri url)
    {
        this.process = process;
        Url = url;
    }

    /// <summary><c>ws://127.0.0.1:port</c>.</summary>
    public Uri Url { get; }

    /// <summary>What the tracker logged (peers that started and stopped, warnings), for a failed test's output.</summary>
    public string History => string.Join(Environment.NewLine, log);

    public static async Task<ReferenceTracker> StartAsync()
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = InteropNode.Directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(InteropNode.Directory, "reference-tracker.mjs"));
        var process = Process.Start(start) ?? throw new InvalidOperationException("Cannot start node for reference-tracker.mjs.");
        try
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var line = await process.StandardOutput.ReadLineAsync(deadline.Token)
                ?? throw new InvalidOperationException($"reference-tracker.mjs ended without a URL: {await process.StandardError.ReadToEndAsync(deadline.Token)}");
            var tracker = new ReferenceTracker(process, new Uri(line.Trim()));
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) tracker.OnLog(e.Data); };
            process.BeginErrorReadLine();
            return tracker;
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    /// <summary>Completes once <paramref name="count"/> peers have announced <c>started</c> (any swarm).</summary>
    public Task WaitForStartsAsync(int count, TimeSpan timeout)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (gate)
        {
            if (starts >= count)
            {
                return Task.CompletedTask;
            }

            startWaiters.Add((count, done));
        }

        return done.Task.WaitAsync(timeout);
    }

    private void OnLog(string line)
    {
        log.Enqueue(line);
        if (!line.StartsWith("start ", StringComparison.Ordinal))
        {
            return;
        }

        lock (gate)
        {
            starts++;
            foreach (var waiter in startWaiters.Where(w => starts >= w.Count).ToList())
            {
                startWaiters.Remove(waiter);
                waiter.Done.TrySetResult();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            process.StandardInput.Close();
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (Exception error) when (error is OperationCanceledException or IOException or InvalidOperationException)
        {
            process.Kill(entireProcessTree: true);
        }
        finally
        {
            process.Dispose();
        }
    }
}
