using System.Diagnostics;
using System.Globalization;

namespace Parley.Browser.Tests.Infrastructure;

/// <summary>
/// A Chromium of its own that a test can crash: <see cref="CrashAsync"/> sends SIGKILL to its whole process
/// group, so the browser, its renderers and its network service die at once, as when the browser crashes or
/// is killed: no <c>pagehide</c>, no <c>bye</c>, no WebSocket close frame; the kernel closes its sockets.
/// </summary>
/// <remarks>
/// Playwright starts the browser detached (its own process group, which it kills that way itself on close), and
/// Chromium's children stay in that group. Playwright does not tell its pid, so the browser is started through a
/// wrapper that writes its pid (<c>$$</c>, kept by <c>exec</c>) to a file first.
/// </remarks>
public sealed class CrashableBrowser : IAsyncDisposable
{
    private readonly string wrapper;
    private readonly string pidFile;

    private CrashableBrowser(string wrapper, string pidFile)
    {
        this.wrapper = wrapper;
        this.pidFile = pidFile;
    }

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Chromium's browser process, the leader of its process group.</summary>
    public int ProcessId { get; private set; }

    /// <summary>Whether <see cref="CrashAsync"/> ran.</summary>
    public bool Crashed { get; private set; }

    /// <param name="launch">Launches a browser with the given executable (the wrapper).</param>
    public static async Task<CrashableBrowser> LaunchAsync(Func<string, Task<IBrowser>> launch)
    {
        var name = Path.Combine(Path.GetTempPath(), $"parley-crashable-{Guid.NewGuid():N}");
        var crashable = new CrashableBrowser(name + ".sh", name + ".pid");
        await File.WriteAllTextAsync(crashable.wrapper, $"#!/bin/sh\necho $$ > '{crashable.pidFile}'\nexec {BrowserSuite.ChromiumPath} \"$@\"\n");
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("Crashing a browser's process group needs Linux (/proc, kill).");
        }

        File.SetUnixFileMode(crashable.wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        try
        {
            crashable.Browser = await launch(crashable.wrapper);
            crashable.ProcessId = int.Parse((await File.ReadAllTextAsync(crashable.pidFile)).Trim(), CultureInfo.InvariantCulture);
            var group = ProcessGroupOf(crashable.ProcessId);
            if (group != crashable.ProcessId)
            {
                // Killing this group would kill more than Chromium (Playwright's driver, the test run).
                throw new InvalidOperationException($"Chromium ({crashable.ProcessId}) is not the leader of its process group ({group}).");
            }

            return crashable;
        }
        catch
        {
            await crashable.DisposeAsync();
            throw;
        }
    }

    /// <summary>The processes of the browser's group (Chromium and all its children).</summary>
    public IReadOnlyList<int> GroupProcesses() =>
        [.. Directory.EnumerateDirectories("/proc")
            .Select(Path.GetFileName)
            .Select(name => int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : 0)
            .Where(pid => pid > 0 && ProcessGroupOf(pid) == ProcessId)];

    /// <summary>SIGKILL to the browser's process group; returns once none of its processes is left.</summary>
    public async Task CrashAsync()
    {
        Crashed = true;
        using (var kill = Process.Start("kill", ["-KILL", "--", "-" + ProcessId.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
            if (kill.ExitCode != 0)
            {
                throw new InvalidOperationException($"kill -KILL -{ProcessId} failed ({kill.ExitCode}).");
            }
        }

        var deadline = Stopwatch.StartNew();
        while (GroupProcesses() is { Count: > 0 } left)
        {
            // Killed processes linger as zombies until their parent (Playwright's driver) reaps them.
            if (left.All(IsZombie))
            {
                return;
            }

            if (deadline.Elapsed > TimeSpan.FromSeconds(5))
            {
                throw new TimeoutException($"Processes of Chromium's group still alive 5 s after SIGKILL: {string.Join(", ", left)}");
            }

            await Task.Delay(10);
        }
    }

    /// <summary>Field 5 of /proc/PID/stat (after the parenthesised command name, which may hold spaces); 0 if gone.</summary>
    private static int ProcessGroupOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[2], CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return 0;
        }
    }

    private static bool IsZombie(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (IOException)
        {
            return true; // gone meanwhile
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null && !Crashed)
        {
            await Browser.CloseAsync();
        }

        File.Delete(wrapper);
        File.Delete(pidFile);
    }
}
