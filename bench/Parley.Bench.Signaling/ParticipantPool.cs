using System.Diagnostics;

namespace Parley.Bench.Signaling;

/// <summary>
/// N participants in rooms of k (participant i is in room i / k), opened in bounded parallel batches, kept alive
/// with the protocol's heartbeat, and disposed together.
/// </summary>
internal sealed class ParticipantPool : IDisposable
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(20);
    private readonly List<Participant> participants = [];
    private readonly CancellationTokenSource heartbeats = new();

    private readonly IParticipantLinks links;

    private ParticipantPool(ISignalingProtocol protocol, IParticipantLinks links, int roomSize)
    {
        Protocol = protocol;
        this.links = links;
        RoomSize = roomSize;
    }

    public ISignalingProtocol Protocol { get; }

    public int RoomSize { get; }

    public IReadOnlyList<Participant> Participants => participants;

    public int Failed { get; private set; }

    public string? FirstFailure { get; private set; }

    public TimeSpan OpenTime { get; private set; }

    /// <summary>Opens count participants numbered from firstIndex; failures are counted, not thrown.</summary>
    public static async Task<ParticipantPool> OpenAsync(ISignalingProtocol protocol, int port, int firstIndex, int count, int roomSize,
        int parallelism, TrafficStats stats)
    {
        var pool = new ParticipantPool(protocol, protocol.Links(port, count), roomSize);
        var started = Stopwatch.StartNew();
        var opened = new Participant?[count];
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = parallelism },
            async (offset, _) =>
            {
                int index = firstIndex + offset;
                var participant = new Participant(index, $"r{index / roomSize}", protocol, pool.links, stats);
                try
                {
                    await participant.ConnectAsync(ConnectTimeout).ConfigureAwait(false);
                    opened[offset] = participant;
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    participant.Dispose();
                    lock (pool.participants)
                    {
                        pool.Failed++;
                        pool.FirstFailure ??= $"{ex.GetType().Name}: {ex.Message}";
                    }
                }
            }).ConfigureAwait(false);
        pool.participants.AddRange(opened.OfType<Participant>());
        pool.OpenTime = started.Elapsed;
        if (protocol.Heartbeat is { } heartbeat)
        {
            _ = pool.SendHeartbeatsAsync(heartbeat);
        }

        return pool;
    }

    public int OpenCount() => participants.Count(p => p.IsOpen);

    /// <summary>The participant that participant i sends to: the next one in its room (wrapping), or null if alone.</summary>
    public Participant? DestinationOf(int position)
    {
        Participant sender = participants[position];
        int roomStart = sender.Index / RoomSize * RoomSize;
        int next = roomStart + (sender.Index - roomStart + 1) % RoomSize;
        int nextPosition = position + (next - sender.Index);
        return nextPosition >= 0 && nextPosition < participants.Count && participants[nextPosition].Index == next && next != sender.Index
            ? participants[nextPosition]
            : null;
    }

    private async Task SendHeartbeatsAsync(byte[] heartbeat)
    {
        using var timer = new PeriodicTimer(HeartbeatInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(heartbeats.Token).ConfigureAwait(false))
            {
                foreach (Participant participant in participants)
                {
                    participant.Send(heartbeat);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Closes every participant with a close handshake (at most 3 s), for servers that keep dropped ones around.</summary>
    public Task CloseAllAsync() => Task.WhenAll(participants.Select(p => p.CloseAsync(TimeSpan.FromSeconds(3))));

    public void Dispose()
    {
        heartbeats.Cancel();
        foreach (Participant participant in participants)
        {
            participant.Dispose();
        }

        links.Dispose();
        heartbeats.Dispose();
    }
}
