using System.Net;
using Microsoft.Extensions.Time.Testing;
using Parley.Signaling.Transports.Http;

namespace Parley.Signaling.Tests;

/// <summary>
/// How an HTTP session's event-stream reader is woken: on the thread that queued the message, with no thread-pool hop
/// (docs/benchmarks.md, "Signaling over HTTP vs WebSocket"), and never by a message meant for a newer reader.
/// </summary>
public class HttpTransportWakeTests
{
    private static readonly byte[] Ping = """{"type":"ping"}"""u8.ToArray();

    [Fact]
    public async Task A_waiting_reader_takes_a_queued_message_on_the_thread_that_queued_it()
    {
        using var transport = new HttpTransport("id", IPAddress.Loopback, new SignalingOptions(), new FakeTimeProvider());
        var reader = transport.AttachReader(0, "sse")!.Value;
        var batch = new List<(long Sequence, byte[] Message)>();
        int? readerThread = null;
        var read = transport.ReadAsync(reader, 0, 16, batch, TimeSpan.FromSeconds(15), CancellationToken.None)
            .ContinueWith(task =>
            {
                readerThread = Environment.CurrentManagedThreadId;
                return task.Result;
            }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        Assert.False(read.IsCompleted);

        // Sent from a thread-pool thread, as Kestrel's request threads are: no synchronization context (the test
        // runner's would make every continuation asynchronous).
        var (sender, completedWhenSent) = await Task.Run(async () =>
        {
            Assert.True(await transport.SendAsync(Ping, CancellationToken.None));
            return (Environment.CurrentManagedThreadId, read.IsCompleted);
        });

        Assert.True(completedWhenSent);
        Assert.Equal(sender, readerThread);
        Assert.Equal(ReadOutcome.Messages, await read);
        Assert.Equal(1, Assert.Single(batch).Sequence);
    }

    [Fact]
    public async Task A_reader_superseded_while_waiting_ends_without_taking_messages()
    {
        using var transport = new HttpTransport("id", IPAddress.Loopback, new SignalingOptions(), new FakeTimeProvider());
        var first = transport.AttachReader(0, "sse")!.Value;
        var firstBatch = new List<(long Sequence, byte[] Message)>();
        var firstRead = transport.ReadAsync(first, 0, 16, firstBatch, TimeSpan.FromSeconds(15), CancellationToken.None);
        Assert.True(await transport.SendAsync(Ping, CancellationToken.None));
        Assert.Equal(ReadOutcome.Messages, await firstRead);
        firstBatch.Clear();
        firstRead = transport.ReadAsync(first, 1, 16, firstBatch, TimeSpan.FromSeconds(15), CancellationToken.None);

        Assert.True(await transport.SendAsync(Ping, CancellationToken.None));
        Assert.Equal(ReadOutcome.Messages, await firstRead);
        Assert.Equal(2, Assert.Single(firstBatch).Sequence);
        firstBatch.Clear();
        firstRead = transport.ReadAsync(first, 2, 16, firstBatch, TimeSpan.FromSeconds(15), CancellationToken.None);

        // A reconnecting stream attaches having seen 1: the waiting reader is woken and must see it was replaced.
        Assert.True(await transport.SendAsync(Ping, CancellationToken.None)); // 3, taken by the first reader
        Assert.Equal(ReadOutcome.Messages, await firstRead);
        firstBatch.Clear();
        firstRead = transport.ReadAsync(first, 3, 16, firstBatch, TimeSpan.FromSeconds(15), CancellationToken.None);
        var second = transport.AttachReader(1, "sse")!.Value;

        Assert.Equal(ReadOutcome.Superseded, await firstRead);
        Assert.Empty(firstBatch);
        var secondBatch = new List<(long Sequence, byte[] Message)>();
        Assert.Equal(ReadOutcome.Messages, await transport.ReadAsync(second, 1, 16, secondBatch, TimeSpan.FromSeconds(15), CancellationToken.None));
        Assert.Equal([2L, 3L], secondBatch.Select(entry => entry.Sequence));
    }
}
