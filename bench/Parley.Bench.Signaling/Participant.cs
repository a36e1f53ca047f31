using System.Net.WebSockets;
using System.Threading.Channels;

namespace Parley.Bench.Signaling;

/// <summary>
/// One benchmark client: a link (WebSocket or HTTP session) with a receive loop (benchmark traffic is timed, the rest
/// goes to the protocol) and a send loop over an unbounded queue, so a slow link never holds up the pacer or other clients.
/// </summary>
internal sealed class Participant : IDisposable
{
    private readonly IParticipantLink link;
    private readonly ISignalingProtocol protocol;
    private readonly TrafficStats stats;
    private readonly Channel<byte[]> outbox = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TaskCompletionSource<string> ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource lifetime = new();
    private int backlog;

    public Participant(int index, string room, ISignalingProtocol protocol, IParticipantLinks links, TrafficStats stats)
    {
        Index = index;
        Room = room;
        Key = $"b{index}";
        this.protocol = protocol;
        this.stats = stats;
        link = links.Create(this);
    }

    public int Index { get; }

    public string Room { get; }

    /// <summary>The name (Parley) or chosen id (PeerJS) of this participant.</summary>
    public string Key { get; }

    /// <summary>The id others address this participant by, once it is ready.</summary>
    public string? Address { get; private set; }

    public int Backlog => Volatile.Read(ref backlog);

    public bool IsOpen => link.IsOpen;

    /// <summary>Connects and waits until the server made this participant addressable.</summary>
    public async Task ConnectAsync(TimeSpan timeout)
    {
        using var timer = new CancellationTokenSource(timeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timer.Token, lifetime.Token);
        await link.ConnectAsync(linked.Token).ConfigureAwait(false);
        _ = Task.Run(ReceiveLoopAsync);
        _ = Task.Run(SendLoopAsync);
        if (protocol.ReadyOnConnect)
        {
            MarkReady(Key);
        }

        Address = await ready.Task.WaitAsync(linked.Token).ConfigureAwait(false);
    }

    public void MarkReady(string address) => ready.TrySetResult(address);

    public void OnServerError(string code)
    {
        stats.OnServerError(code);
        ready.TrySetException(new InvalidOperationException($"{protocol.Name} refused participant {Index}: {code}"));
    }

    /// <summary>Queues a frame; false (and not queued) when more than maxBacklog wait already.</summary>
    public bool Send(byte[] frame, int maxBacklog = int.MaxValue)
    {
        if (Volatile.Read(ref backlog) >= maxBacklog)
        {
            return false;
        }

        Interlocked.Increment(ref backlog);
        return outbox.Writer.TryWrite(frame);
    }

    /// <summary>One frame from the server, called by the link's receive loop.</summary>
    public void OnFrame(ReadOnlySpan<byte> frame)
    {
        if (BenchMarker.TryRead(frame, out long ticks, out int destination))
        {
            if (destination == Index)
            {
                stats.OnDelivered(ticks);
            }
            else
            {
                stats.OnOverheard();
            }

            return;
        }

        protocol.OnControlFrame(this, frame);
    }

    private async Task SendLoopAsync()
    {
        try
        {
            ChannelReader<byte[]> reader = outbox.Reader;
            while (await reader.WaitToReadAsync(lifetime.Token).ConfigureAwait(false))
            {
                while (reader.TryRead(out byte[]? frame))
                {
                    await link.SendAsync(frame, lifetime.Token).ConfigureAwait(false);
                    Interlocked.Decrement(ref backlog);
                }
            }
        }
        catch (Exception ex) when (IsLinkFailure(ex))
        {
        }
    }

    private async Task ReceiveLoopAsync()
    {
        try
        {
            string why = await link.ReceiveAsync(this, lifetime.Token).ConfigureAwait(false);
            ready.TrySetException(new InvalidOperationException($"{protocol.Name} closed participant {Index}: {why}"));
        }
        catch (Exception ex) when (IsLinkFailure(ex))
        {
            ready.TrySetException(new InvalidOperationException($"{protocol.Name} participant {Index}: {ex.Message}"));
        }
    }

    private static bool IsLinkFailure(Exception ex) =>
        ex is OperationCanceledException or WebSocketException or HttpRequestException or IOException or ObjectDisposedException;

    /// <summary>Closes on purpose (a close handshake, a DELETE), waiting at most the timeout, so the server frees the participant at once.</summary>
    public Task CloseAsync(TimeSpan timeout) => link.CloseAsync(timeout);

    public void Dispose()
    {
        lifetime.Cancel();
        link.Dispose();
        lifetime.Dispose();
    }
}
