using System.Diagnostics;
using System.Globalization;

namespace Parley.Server.Tests;

/// <summary>Sends a POSIX signal with kill(1): SIGTERM as systemd does, SIGSTOP/SIGCONT to freeze a process with its sockets open.</summary>
internal static class ProcessSignal
{
    /// <summary>Sends <paramref name="signal"/> (e.g. <c>-STOP</c>) to <paramref name="pid"/>; false if kill failed.</summary>
    public static async Task<bool> SendAsync(int pid, string signal)
    {
        using var kill = Process.Start("kill", [signal, pid.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        return kill.ExitCode == 0;
    }
}
