namespace Parley.Bench.Signaling;

/// <summary>What one server did at one offered rate.</summary>
internal sealed record ThroughputResult(
    string Server,
    int OfferedRate,
    int Participants,
    long Sent,
    long Delivered,
    long ClientDropped,
    long Overheard,
    long ServerErrors,
    double Seconds,
    double P50Ms,
    double P99Ms,
    double P999Ms,
    double ServerCpuSeconds,
    double ClientCpuSeconds,
    long ServerContextSwitches,
    int Disconnected,
    double LoadAverage,
    string? Aborted)
{
    public double AchievedRate => Delivered / Seconds;

    /// <summary>Server CPU time per delivered message, in microseconds: the cost of relaying, less sensitive to a busy machine than latency.</summary>
    public double ServerCpuMicrosPerMessage => Delivered == 0 ? double.NaN : ServerCpuSeconds * 1e6 / Delivered;

    public double ContextSwitchesPerMessage => Delivered == 0 ? double.NaN : ServerContextSwitches / (double)Delivered;

    public double LossPercent => Sent == 0 ? 100 : 100.0 * (Sent - Delivered) / Sent;

    /// <summary>Sustainable: at most 0.1 % lost or late past the drain, p99 under 100 ms, and not aborted.</summary>
    public bool Sustained => Aborted is null && LossPercent <= 0.1 && P99Ms <= 100;
}
