using System.Diagnostics;
using System.Globalization;

namespace Parley.Turn.Tests;

/// <summary>
/// Runs where test.sh could build Parley.Server for linux-arm64 (PARLEY_ARM64_SERVER) and run it under qemu-user
/// (qemu-aarch64-static) with coturn's turnutils installed; skipped elsewhere.
/// </summary>
public sealed class Arm64FactAttribute : FactAttribute
{
    public Arm64FactAttribute()
    {
        if (Arm64Tests.Server is null || Arm64Tests.Emulator is null)
        {
            Skip = "No arm64 build of Parley.Server (PARLEY_ARM64_SERVER, set by test.sh) or no qemu-aarch64-static";
        }
        else if (!File.Exists(InteropTests.Tool("turnutils_uclient")) || !File.Exists(InteropTests.Tool("turnutils_peer")))
        {
            Skip = "coturn's turnutils are not installed";
        }
    }
}

/// <summary>
/// Linux on arm64 (a Raspberry Pi, an Ampere or Graviton server) runs the same UDP event loop as x86-64, but its
/// <c>struct epoll_event</c> is laid out differently (LinuxNative.EpollEventSize). The real server, built for
/// arm64, runs here under qemu-user, which translates each system call's structs from the arm64 layout: a wrong
/// layout gives the loop garbage keys and every datagram is lost (checked by hand with a 12-byte layout).
/// </summary>
public sealed class Arm64Tests
{
    private const string Secret = "arm64-interop-secret-0123";

    internal static string? Server => Parley.Tests.Shared.BuiltServer.Find("PARLEY_ARM64_SERVER");

    internal static string? Emulator => new[] { "/usr/bin/qemu-aarch64-static", "/usr/bin/qemu-aarch64" }.FirstOrDefault(File.Exists);

    [Arm64Fact]
    public async Task The_arm64_server_relays_udp_through_its_event_loop_without_loss()
    {
        int port = InteropTests.FreePort();
        int httpPort = InteropTests.FreePort();
        string arguments = string.Join(' ',
            Server!, $"--urls http://127.0.0.1:{httpPort}", $"--Turn:Port={port}", $"--Turn:TlsPort={InteropTests.FreePort()}",
            "--Turn:ListenAddress=127.0.0.1", "--Turn:RelayAddress=127.0.0.1", "--Turn:AllowedPeerRanges:0=127.0.0.0/8",
            $"--Turn:SharedSecrets:0={Secret}");
        using var server = Process.Start(new ProcessStartInfo(Emulator!, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var log = new System.Text.StringBuilder();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.OutputDataReceived += (_, line) =>
        {
            lock (log)
            {
                log.AppendLine(line.Data);
            }

            if (line.Data?.Contains("Application started", StringComparison.Ordinal) == true)
            {
                started.TrySetResult();
            }
        };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        try
        {
            // Emulated, the runtime starts in 10-20 s here.
            await Task.WhenAny(started.Task, server.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(120)));
            Assert.True(started.Task.IsCompleted, $"The arm64 server did not start:\n{Snapshot(log)}");
            Assert.Matches(@"TURN reads UDP with \d+ epoll event loop\(s\) on Arm64", Snapshot(log));

            string toClient = await InteropTests.RunUclientAsync(string.Create(CultureInfo.InvariantCulture,
                $"-y -n 100 -m 2 -e 127.0.0.1 -p {port} -W {Secret} -u alice 127.0.0.1"));
            InteropTests.AssertNoLoss(toClient);
            await InteropTests.WithPeerAsync(async peerPort =>
            {
                string toPeer = await InteropTests.RunUclientAsync(string.Create(CultureInfo.InvariantCulture,
                    $"-n 100 -m 2 -e 127.0.0.1 -r {peerPort} -p {port} -W {Secret} -u bob 127.0.0.1"));
                InteropTests.AssertNoLoss(toPeer);
            });
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }
    }

    private static string Snapshot(System.Text.StringBuilder log)
    {
        lock (log)
        {
            return log.ToString();
        }
    }
}
