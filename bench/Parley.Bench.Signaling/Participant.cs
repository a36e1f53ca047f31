using System.Net.WebSockets;
using System.Threading.Channels;

namespace Parley.Bench.Signaling;

/// <summary>
/// One benchmark client: a WebSocket with a receive loop (benchmark traffic is timed, the rest goes to the
/// protocol) and a send loop over an unbounded queue, so a slow socket never holds up the pacer or other clients.
/// </summary>
internal sealed class Participant : IDisposable
{
    private const int MaxFrameBytes = 1 << 20;
    private readonly ClientWebSocket socket = new();
    private readonly ISignalingProtocol protocol;
    private readonly TrafficStats stats;
    private readonly Channel<byte[]> outbox = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TaskCompletionSource<string> ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource lifetime = new();
    private int backlog;

    public Participant(int index, string room, ISignalingProtocol protocol, TrafficStats stats)
    {
        Index = index;
        Room = room;
        Key = $"b{index}";
        this.protocol = protocol;
        this.stats = stats;
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
    }

    public int Index { get; }

    public string Room { get; }

    /// <summary>The name (Parley) or chosen id (PeerJS) of this participant.</summary>
    public string Key { get; }

    /// <summary>The id others address this participant by, once it is ready.</summary>
    public string? Address { get; private set; }

    public int Backlog => Volatile.Read(ref backlog);

    public bool IsOpen => socket.State == WebSocketState.Open;

    /// <summary>Connects and waits until the server made this participant addressable.</summary>
    public async Task ConnectAsync(int port, TimeSpan timeout)
    {
        using var timer = new CancellationTokenSource(timeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timer.Token, lifetime.Token);
        await socket.ConnectAsync(protocol.ConnectUri(port, this), linked.Token).ConfigureAwait(false);
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

    private async Task SendLoopAsync()
    {
        try
        {
            ChannelReader<byte[]> reader = outbox.Reader;
            while (await reader.WaitToReadAsync(lifetime.Token).ConfigureAwait(false))
            {
                while (reader.TryRead(out byte[]? frame))
                {
                    await socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, lifetime.Token).ConfigureAwait(false);
                    Interlocked.Decrement(ref backlog);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
        }
    }

    private async Task ReceiveLoopAsync()
    {
        byte[] buffer = new byte[8192];
        try
        {
            while (true)
            {
                int length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (length == buffer.Length)
                    {
                        if (buffer.Length >= MaxFrameBytes)
                        {
                            return;
                        }

                        Array.Resize(ref buffer, buffer.Length * 2);
                    }

                    result = await socket.ReceiveAsync(buffer.AsMemory(length), lifetime.Token).ConfigureAwait(false);
                    length += result.Count;
                }
                while (!result.EndOfMessage);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    ready.TrySetException(new InvalidOperationException($"{protocol.Name} closed participant {Index}: {socket.CloseStatus} {socket.CloseStatusDescription}"));
                    return;
                }

                OnFrame(buffer.AsSpan(0, length));
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            ready.TrySetException(new InvalidOperationException($"{protocol.Name} participant {Index}: {ex.Message}"));
        }
    }

    private void OnFrame(ReadOnlySpan<byte> frame)
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

    /// <summary>Sends a normal close (1000) and waits at most the timeout for the server's, so it frees the participant at once.</summary>
    public async Task CloseAsync(TimeSpan timeout)
    {
        using var timer = new CancellationTokenSource(timeout);
        try
        {
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timer.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or InvalidOperationException)
        {
        }
    }

    public void Dispose()
    {
        lifetime.Cancel();
        socket.Abort();
        socket.Dispose();
        lifetime.Dispose();
    }
}
