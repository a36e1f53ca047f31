using System.Globalization;

namespace Parley.Tests.Shared;

/// <summary>
/// Proves that a piece of work allocates nothing in its steady state, on the thread that runs it, without being
/// fooled by a one-time cost. The first uses of code on a thread may allocate once: tiered JIT promotions and
/// on-stack replacement, a P/Invoke or static first touched, a runtime helper bound late. On a loaded or new
/// machine such a cost can land after any fixed warm-up (CI once saw 7,048 bytes after ten datagrams). So the work
/// is measured in rounds, and the claim checked is the steady state's: several consecutive rounds allocate nothing.
/// A per-call allocation shows in every round, so it still fails; every round's figure is in the failure message.
/// </summary>
/// <remarks>
/// <see cref="Mark"/> is called on the measured thread and allocates nothing itself (the figures go to an array
/// sized up front), so it can sit inside the code under test, e.g. a receiver called by an event loop.
/// </remarks>
internal sealed class AllocationRounds
{
    /// <summary>Consecutive rounds that must allocate nothing: a steady state, not one lucky window.</summary>
    public const int ZeroRoundsRequired = 3;

    private readonly long[] _allocated;
    private long _start = -1;

    public AllocationRounds(int rounds)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rounds, ZeroRoundsRequired + 1);
        _allocated = new long[rounds];
    }

    /// <summary>Rounds measured so far.</summary>
    public int Count { get; private set; }

    /// <summary>Whether every round has been measured.</summary>
    public bool IsComplete => Count == _allocated.Length;

    /// <summary>
    /// Runs <paramref name="round"/> once unmeasured, then <paramref name="rounds"/> times measured, on the calling
    /// thread, and asserts the steady state allocates nothing. Create the delegate before calling.
    /// </summary>
    public static void AssertSteadyStateAllocatesNothing(Action round, int rounds = 10)
    {
        var measured = new AllocationRounds(rounds);
        round();
        measured.Mark();
        while (!measured.IsComplete)
        {
            round();
            measured.Mark();
        }

        measured.AssertSteadyStateAllocatesNothing();
    }

    /// <summary>
    /// Ends a round on the calling thread: the first call starts the measurement, each later one records the bytes
    /// this thread allocated since the one before. Calls after the last round are ignored.
    /// </summary>
    public void Mark()
    {
        long now = GC.GetAllocatedBytesForCurrentThread();
        if (_start >= 0 && Count < _allocated.Length)
        {
            _allocated[Count++] = now - _start;
        }

        _start = now;
    }

    /// <summary>Asserts that every round was measured and that <see cref="ZeroRoundsRequired"/> consecutive ones allocated nothing.</summary>
    public void AssertSteadyStateAllocatesNothing()
    {
        long[] rounds = _allocated[..Count];
        string figures = string.Join(", ", rounds.Select(b => b.ToString(CultureInfo.InvariantCulture)));
        Assert.True(IsComplete, $"Only {Count} of {_allocated.Length} rounds were measured: {figures}.");
        int run = 0;
        int longest = 0;
        foreach (long bytes in rounds)
        {
            run = bytes == 0 ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }

        Assert.True(
            longest >= ZeroRoundsRequired,
            $"No {ZeroRoundsRequired} consecutive rounds allocated nothing; bytes allocated per round: {figures}.");
    }
}
