using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Reflection;

namespace Parley.Browser.Tests.Infrastructure;

/// <summary>
/// The real Parley server, started as a separate process (<c>dotnet Parley.Server.dll</c>) on a free
/// loopback port, exactly as a user runs it. Killed on dispose. <see cref="KillAsync"/> and
/// <see cref="StartAgainAsync"/> crash it and bring it back on the same ports, as a server restart does.
/// </summary>
public sealed class ParleyServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private readonly ProcessStartInfo startInfo;
    private readonly ConcurrentQueue<string> output = new();
    private Process process;

    private ParleyServer(ProcessStartInfo startInfo, Uri baseAddress)
    {
        this.startInfo = startInfo;
        BaseAddress = baseAddress;
        process = Launch();
    }

    /// <summary><c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Everything the server wrote to stdout and stderr so far, for failure messages.</summary>
    public string Output => string.Join(Environment.NewLine, output);

    /// <summary>The page URL that prefills the join form.</summary>
    public Uri PageFor(string room, string name) =>
        new(BaseAddress, $"/?room={Uri.EscapeDataString(room)}&name={Uri.EscapeDataString(name)}");

    /// <summary>The page URL of token mode: <c>/?token=JWT</c>, as an app's invitation link.</summary>
    public Uri PageWithToken(string token) => new(BaseAddress, $"/?token={Uri.EscapeDataString(token)}");

    /// <summary>The page URL on another of the server's addresses (<see cref="StartAsync(IPAddress[], string[])"/>).</summary>
    public Uri PageFor(string room, string name, IPAddress host) =>
        new UriBuilder(PageFor(room, name)) { Host = host.ToString() }.Uri;

    /// <param name="settings">Extra command-line configuration, e.g. <c>--Signaling:MaxParticipantsPerRoom=2</c>.</param>
    public static Task<ParleyServer> StartAsync(params string[] settings) => StartAsync([], settings);

    /// <param name="alsoListenOn">Addresses served besides 127.0.0.1, on the same port.</param>
    /// <param name="settings">Extra command-line configuration.</param>
    public static async Task<ParleyServer> StartAsync(IPAddress[] alsoListenOn, params string[] settings)
    {
        var dll = ServerDll();
        var port = FreeLoopbackPort();
        var baseAddress = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/"));
        var urls = string.Join(';', alsoListenOn.Select(address => string.Create(CultureInfo.InvariantCulture, $"http://{address}:{port}"))
            .Prepend(baseAddress.GetLeftPart(UriPartial.Authority)));

        // A small shell runs the server and stops it once its stdin (a pipe from this process) closes, so a
        // test run that is killed or crashes leaves no server behind. Dispose kills the whole tree anyway.
        var start = new ProcessStartInfo("sh")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        const string Watchdog = "\"$@\" </dev/null & server=$!; cat >/dev/null; kill $server 2>/dev/null; wait $server";
        // DOTNET_HOST_PATH is set by the dotnet CLI for the processes it starts (testhost included).
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        // Each server's embedded TURN listens on a port of its own, so two servers in one run never clash.
        var turn = string.Create(CultureInfo.InvariantCulture, $"--Turn:Port={FreeLoopbackPort()}");
        foreach (var argument in (string[])["-c", Watchdog, "sh", dotnet, dll, "--urls", urls, "--Turn:ListenAddress=127.0.0.1", turn, .. settings])
        {
            start.ArgumentList.Add(argument);
        }

        var server = new ParleyServer(start, baseAddress);
        try
        {
            await server.WaitUntilHealthyAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Kills the server with SIGKILL, as a crash or a power cut does: no <c>goaway</c>, no close frames;
    /// browsers see their sockets drop. Returns once the process is gone.
    /// </summary>
    public async Task KillAsync()
    {
        Collect("--- killed (SIGKILL) ---");
        await KillProcessAsync();
    }

    /// <summary>
    /// Stops the server gracefully, as <c>systemctl stop</c> does: the watchdog shell sends SIGTERM once its
    /// stdin closes, and the server says <c>goaway</c> to every client before it exits.
    /// </summary>
    public async Task StopGracefullyAsync()
    {
        Collect("--- stopping gracefully (SIGTERM) ---");
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(StartTimeout);
        await process.WaitForExitAsync(timeout.Token);
    }

    /// <summary>Starts the server again, with the same settings on the same HTTP and TURN ports; returns once healthy.</summary>
    public async Task StartAgainAsync()
    {
        if (!process.HasExited)
        {
            throw new InvalidOperationException("The server is still running: kill it first.");
        }

        // The port may still be held for a moment by the killed process's sockets: try a few times.
        for (var attempt = 1; ; attempt++)
        {
            Collect($"--- started again (attempt {attempt}) ---");
            process.Dispose();
            process = Launch();
            try
            {
                await WaitUntilHealthyAsync();
                return;
            }
            catch (InvalidOperationException) when (process.HasExited && attempt < 5)
            {
                await Task.Delay(500);
            }
        }
    }

    private Process Launch()
    {
        var started = Process.Start(startInfo) ?? throw new InvalidOperationException("Could not start the Parley server.");
        started.OutputDataReceived += (_, e) => Collect(e.Data);
        started.ErrorDataReceived += (_, e) => Collect(e.Data);
        started.BeginOutputReadLine();
        started.BeginErrorReadLine();
        return started;
    }

    private void Collect(string? line)
    {
        if (line is not null)
        {
            output.Enqueue(line);
        }
    }

    private async Task WaitUntilHealthyAsync()
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The Parley server exited with code {process.ExitCode}:{Environment.NewLine}{Output}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri("/healthz", UriKind.Relative));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (deadline.Elapsed > StartTimeout)
            {
                throw new TimeoutException($"The Parley server did not answer /healthz within {StartTimeout}:{Environment.NewLine}{Output}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>The server binary built through the ProjectReference; PARLEY_SERVER_DLL overrides it.</summary>
    private static string ServerDll()
    {
        var dll = Environment.GetEnvironmentVariable("PARLEY_SERVER_DLL");
        if (string.IsNullOrEmpty(dll))
        {
            dll = typeof(ParleyServer).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .FirstOrDefault(a => a.Key == "ParleyServerDll")?.Value;
        }

        if (string.IsNullOrEmpty(dll) || !File.Exists(dll))
        {
            throw new FileNotFoundException($"Parley.Server.dll not found at '{dll}'. Build the test project first (it builds the server).");
        }

        if (!File.Exists(Path.Combine(Path.GetDirectoryName(dll)!, "web", "index.html")))
        {
            throw new FileNotFoundException($"web/index.html is not next to {dll}: rebuild the server after changing web/.");
        }

        return dll;
    }

    internal static int FreeLoopbackPort() => Parley.Server.Tests.FreePorts.Tcp();

    public async ValueTask DisposeAsync()
    {
        try
        {
            await KillProcessAsync();
        }
        finally
        {
            process.Dispose();
        }
    }

    /// <summary>SIGKILL to the watchdog shell and the server under it; waits until they are gone.</summary>
    private async Task KillProcessAsync()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }
}
