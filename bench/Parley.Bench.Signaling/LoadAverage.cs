using System.Globalization;

namespace Parley.Bench.Signaling;

internal static class LoadAverage
{
    /// <summary>The 1-minute load average from /proc/loadavg (the machine is shared: report it with every number).</summary>
    public static double OneMinute() =>
        double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);

    public static string All() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
}
