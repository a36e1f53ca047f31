namespace Parley.Bench.Signaling;

/// <summary>
/// The processes that serve one compared "server": one process, or for <c>parley-2nodes</c> two Parley nodes and the
/// redis-server they share. Readiness waits for each listener; CPU, context switches and memory are their sums, so a
/// multi-node run is charged for everything it takes (Redis included).
/// </summary>
internal sealed class ServerGroup(IReadOnlyList<(ServerProcess Process, int Port)> members) : IDisposable
{
    public static ServerGroup Of(ServerProcess process, int port) => new([(process, port)]);

    public async Task WaitReadyAsync()
    {
        foreach (var (process, port) in members)
        {
            await process.WaitReadyAsync(port).ConfigureAwait(false);
        }
    }

    /// <summary>The first process's id: the only one's in a memory run (which takes one process, not a group).</summary>
    public int Id => members[0].Process.Id;

    public bool HasExited => members.Any(member => member.Process.HasExited);

    public long ResidentBytes() => members.Sum(member => member.Process.ResidentBytes());

    public long ContextSwitches() => members.Sum(member => member.Process.ContextSwitches());

    public double CpuSeconds() => members.Sum(member => member.Process.CpuSeconds());

    /// <summary>Each process's CPU seconds so far, by name (a group's run line shows where its CPU went).</summary>
    public IReadOnlyList<(string Name, double Seconds)> CpuByProcess() =>
        [.. members.Select(member => (member.Process.Name, member.Process.HasExited ? double.NaN : member.Process.CpuSeconds()))];

    public void Dispose()
    {
        foreach (var (process, _) in members)
        {
            process.Dispose();
        }
    }
}
