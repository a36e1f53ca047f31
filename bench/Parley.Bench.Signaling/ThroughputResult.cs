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
    double LoadAverage,
    string? Aborted)
{
    public double AchievedRate => Delivered / Seconds;

    public double LossPercent => Sent == 0 ? 100 : 100.0 * (Sent - Delivered) / Sent;

    /// <summary>Sustainable: at most 0.1 % lost or late past the drain, p99 under 100 ms, and not aborted.</summary>
    public bool Sustained => Aborted is null && LossPercent <= 0.1 && P99Ms <= 100;
}
