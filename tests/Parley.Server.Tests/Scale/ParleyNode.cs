using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.WebSockets;

namespace Parley.Server.Tests.Scale;

/// <summary>
/// One Parley node: the real server process (<see cref="ParleyProcess"/>) on a fixed loopback port, so
/// <see cref="KillAsync"/> (SIGKILL: no <c>goaway</c>, no close frames, nothing said to Redis) and
/// <see cref="RestartAsync"/> (same port, same settings) are a crash and a restart as an operator sees them.
/// </summary>
public sealed class ParleyNode : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private readonly IReadOnlyDictionary<string, string?> environment;
    private readonly List<string> earlierOutput = [];
    private ParleyProcess? process;

    private ParleyNode(string name, int port, IReadOnlyDictionary<string, string?> environment)
    {
        Name = name;
        Port = port;
        this.environment = environment;
    }

    /// <summary>A, B, C: for failure messages.</summary>
    public string Name { get; }

    public int Port { get; }

    /// <summary><c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri BaseAddress => new(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{Port}/"));

    /// <summary><c>ws://127.0.0.1:PORT/ws</c>.</summary>
    public Uri WebSocketAddress => new(string.Create(CultureInfo.InvariantCulture, $"ws://127.0.0.1:{Port}/ws"));

    public bool Running => process is not null;

    /// <summary>Everything the node wrote, over all its lives, for failure messages.</summary>
    public string Output
    {
        get
        {
            var lines = new List<string>(earlierOutput);
            if (process is not null)
            {
                lines.AddRange(process.Output);
                lines.AddRange(process.Errors);
            }

            return string.Join(Environment.NewLine, lines.Select(line => $"[{Name}] {line}"));
        }
    }

    /// <summary>Starts a node on a free port with <paramref name="environment"/> (Redis__Configuration and so on); returns once /healthz answers.</summary>
    public static async Task<ParleyNode> StartAsync(string name, IReadOnlyDictionary<string, string?> environment)
    {
        var node = new ParleyNode(name, FreePorts.Tcp(), environment);
        try
        {
            await node.LaunchAsync();
            return node;
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }
    }

    /// <summary>A client of this node: a WebSocket (<c>websocket</c>) or HTTP signaling (<c>sse</c>, <c>long-poll</c>); returns after <c>hello</c>.</summary>
    public async Task<ISignalingTestClient> ConnectAsync(string transport = "websocket") => transport == "websocket"
        ? await SignalingClient.ConnectAsync(WebSocketAddress)
        : await HttpSignalingClient.ConnectAsync(BaseAddress, transport);

    /// <summary>Kills the node with SIGKILL, as a crash or a power cut does; returns once the process is gone.</summary>
    public Task KillAsync()
    {
        Retire("--- killed (SIGKILL) ---");
        return Task.CompletedTask;
    }

    /// <summary>Freezes the node (SIGSTOP), as a stalled machine does: its sockets stay open, it answers nothing.</summary>
    public async Task PauseAsync()
    {
        earlierOutput.Add("--- paused (SIGSTOP) ---");
        Assert.True(await ProcessSignal.SendAsync(RunningProcess.Id, "-STOP"), $"kill -STOP failed for node {Name}");
    }

    /// <summary>Lets a paused node run again (SIGCONT).</summary>
    public async Task ResumeAsync()
    {
        earlierOutput.Add("--- resumed (SIGCONT) ---");
        Assert.True(await ProcessSignal.SendAsync(RunningProcess.Id, "-CONT"), $"kill -CONT failed for node {Name}");
    }

    private ParleyProcess RunningProcess => process ?? throw new InvalidOperationException($"Node {Name} is not running.");

    /// <summary>Starts the node again (after <see cref="KillAsync"/>) on the same port with the same settings.</summary>
    public async Task RestartAsync()
    {
        if (process is not null)
        {
            throw new InvalidOperationException($"Node {Name} is still running: kill it first.");
        }

        // A killed process's port can be held for a moment: a few attempts.
        for (var attempt = 1; ; attempt++)
        {
            earlierOutput.Add(string.Create(CultureInfo.InvariantCulture, $"--- started again (attempt {attempt}) ---"));
            try
            {
                await LaunchAsync();
                return;
            }
            catch (InvalidOperationException) when (attempt < 5)
            {
                Retire("--- did not start ---");
                await Task.Delay(500);
            }
        }
    }

    /// <summary>GET <paramref name="path"/> on this node: its status and body.</summary>
    public async Task<(HttpStatusCode Status, string Body)> GetAsync(string path)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public ValueTask DisposeAsync()
    {
        Retire("--- stopped ---");
        return ValueTask.CompletedTask;
    }

    private async Task LaunchAsync()
    {
        process = ParleyProcess.Start(
            ["--urls", BaseAddress.GetLeftPart(UriPartial.Authority), "--Turn:Enabled=false", "--Logging:LogLevel:Microsoft.AspNetCore=Warning"],
            environment);
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                var (status, _) = await GetAsync("/healthz");
                if (status == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or WebSocketException)
            {
                // Not listening yet.
            }

            if (process.HasExited)
            {
                throw new InvalidOperationException($"Node {Name} exited while starting:{Environment.NewLine}{Output}");
            }

            if (stopwatch.Elapsed > StartTimeout)
            {
                throw new TimeoutException($"Node {Name} did not answer /healthz within {StartTimeout}:{Environment.NewLine}{Output}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>SIGKILL (Process.Kill) if still running; keeps its output for failure messages.</summary>
    private void Retire(string note)
    {
        if (process is null)
        {
            return;
        }

        process.Dispose();
        earlierOutput.AddRange(process.Output);
        earlierOutput.AddRange(process.Errors);
        earlierOutput.Add(note);
        process = null;
    }
}
