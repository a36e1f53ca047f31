using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Parley.Stun;

namespace Parley.Bench.Turn;

/// <summary>A TURN server child process on 127.0.0.1 and its CPU time from /proc/PID/stat.</summary>
internal sealed class ServerProcess : IDisposable
{
    private readonly Process _process;

    private ServerProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    public string Name { get; }

    /// <summary>Parley's TURN host; <paramref name="pin"/> (a CPU number) runs it under <c>taskset -c</c> with one UDP loop.</summary>
    public static ServerProcess StartParley(int port, string secret, int relayMin, int relayMax, int? pin)
    {
        string arguments = $"host {port} {secret} {relayMin} {relayMax}";
        return pin is int cpu
            ? Start("parley", "/usr/bin/taskset", $"-c {cpu} {Environment.ProcessPath!} {arguments}", ("Turn__UdpThreads", "1"))
            : Start("parley", Environment.ProcessPath!, arguments);
    }

    /// <summary>
    /// coturn as Debian ships it ("coturn": its default relay threads, one per processor, not pinned), or tuned for one
    /// core ("coturn-tuned": <c>--relay-threads=1</c>, under <c>taskset -c</c> on <paramref name="pin"/> when given).
    /// </summary>
    public static ServerProcess StartCoturn(int port, string secret, int relayMin, int relayMax, bool tuned, int? pin)
    {
        string arguments = string.Join(' ',
            "-n", "--no-cli", "--no-tls", "--no-dtls", "--listening-ip=127.0.0.1", $"--listening-port={port}",
            "--relay-ip=127.0.0.1", $"--min-port={relayMin}", $"--max-port={relayMax}", "--lt-cred-mech",
            "--use-auth-secret", $"--static-auth-secret={secret}", "--realm=parley", "--allow-loopback-peers",
            "--log-file=stdout", "--simple-log", "--pidfile=/tmp/parley-bench-turnserver.pid",
            tuned ? "--relay-threads=1" : "");
        string name = tuned ? "coturn-tuned" : "coturn";
        return tuned && pin is int cpu
            ? Start(name, "/usr/bin/taskset", $"-c {cpu} /usr/bin/turnserver {arguments}")
            : Start(name, "/usr/bin/turnserver", arguments);
    }

    private static ServerProcess Start(string name, string file, string arguments, params (string Name, string Value)[] environment)
    {
        var info = new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach ((string key, string value) in environment)
        {
            info.Environment[key] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"Cannot start {file}.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ServerProcess(name, process);
    }

    /// <summary>Waits (at most 20 s) until a STUN Binding request on the port is answered.</summary>
    public async Task WaitReadyAsync(int port)
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var buffer = new byte[1500];
        byte[] binding = StunMessage.Build(new StunMessageType(StunMethod.Binding, StunClass.Request), TransactionId.NewId());
        for (int attempt = 0; attempt < 100; attempt++)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with {_process.ExitCode}.");
            }

            await probe.SendToAsync(binding, SocketFlags.None, new IPEndPoint(IPAddress.Loopback, port)).ConfigureAwait(false);
            using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
            try
            {
                await probe.ReceiveAsync(buffer, SocketFlags.None, timeout.Token).ConfigureAwait(false);
                return;
            }
            catch (OperationCanceledException)
            {
            }
            catch (SocketException)
            {
                await Task.Delay(200).ConfigureAwait(false);
            }
        }

        throw new TimeoutException($"{Name} did not answer on port {port}.");
    }

    /// <summary>utime and stime of the process (all threads), in seconds.</summary>
    public (double User, double System) CpuSeconds()
    {
        string stat = File.ReadAllText($"/proc/{_process.Id}/stat");
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // After "pid (comm) ": field 3 (state) is index 0, so utime (14) and stime (15) are 11 and 12.
        // CLK_TCK is 100 on Linux.
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) / 100.0, long.Parse(fields[12], CultureInfo.InvariantCulture) / 100.0);
    }

    /// <summary>The kernel's UDP RcvbufErrors counter (/proc/net/snmp): datagrams dropped in full socket receive buffers.</summary>
    public static long UdpReceiveBufferErrors()
    {
        string[] lines = File.ReadAllLines("/proc/net/snmp");
        for (int i = 0; i + 1 < lines.Length; i++)
        {
            if (lines[i].StartsWith("Udp: ", StringComparison.Ordinal) && lines[i + 1].StartsWith("Udp: ", StringComparison.Ordinal))
            {
                int column = Array.IndexOf(lines[i].Split(' '), "RcvbufErrors");
                return column < 0 ? -1 : long.Parse(lines[i + 1].Split(' ')[column], CultureInfo.InvariantCulture);
            }
        }

        return -1;
    }

    /// <summary>The 1-minute load average (/proc/loadavg).</summary>
    public static double LoadAverage() =>
        double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
    }
}
