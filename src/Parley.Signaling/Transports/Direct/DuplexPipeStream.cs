using System.Buffers;
using System.IO.Pipelines;

namespace Parley.Signaling.Transports.Direct;

/// <summary>
/// A connection's pipes as the one <see cref="Stream"/> a <see cref="System.Net.WebSockets.WebSocket"/> reads and writes.
/// A zero-byte read waits for data and takes none (as Kestrel's request stream does), so an idle WebSocket
/// holds no receive buffer. Async only; the pipes belong to the connection, which outlives this stream.
/// </summary>
internal sealed class DuplexPipeStream(IDuplexPipe pipe) : Stream
{
    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        // The token is not handed to the pipe: a WebSocket aborts on it by disposing this stream, which cancels the
        // read (Dispose below), and a registration less per waiting read is memory saved on every idle connection.
        var result = await pipe.Input.ReadAsync(CancellationToken.None).ConfigureAwait(false);
        if (result.IsCanceled)
        {
            throw new OperationCanceledException(cancellationToken);
        }

        var available = result.Buffer;
        var count = (int)Math.Min(available.Length, buffer.Length);
        available.Slice(0, count).CopyTo(buffer.Span);

        // Consumed what was copied, examined no more: a zero-byte read leaves the data for the next read.
        pipe.Input.AdvanceTo(available.GetPosition(count));
        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if ((await pipe.Output.WriteAsync(buffer, cancellationToken).ConfigureAwait(false)).IsCanceled)
        {
            throw new OperationCanceledException(cancellationToken);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async Task FlushAsync(CancellationToken cancellationToken) =>
        await pipe.Output.FlushAsync(cancellationToken).ConfigureAwait(false);

    public override void Flush()
    {
    }

    /// <summary>An aborted WebSocket disposes its stream: a read still waiting ends.</summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            pipe.Input.CancelPendingRead();
        }

        base.Dispose(disposing);
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
