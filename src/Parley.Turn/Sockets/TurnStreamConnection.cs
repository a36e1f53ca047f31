using System.Buffers;
using Microsoft.Extensions.Logging;
using Parley.Stun;
using Parley.Turn.Relay;

namespace Parley.Turn.Sockets;

/// <summary>
/// One TURN client on a stream (a TCP <see cref="System.Net.Sockets.NetworkStream"/> or a TLS
/// <see cref="System.Net.Security.SslStream"/>): STUN messages and padded ChannelData are cut from the byte
/// stream with <see cref="StunFraming"/> (RFC 8656 §12.5) and handed to the request handler; responses and
/// relayed data are written back on the same stream.
/// </summary>
internal sealed class TurnStreamConnection(TurnServer server, ILogger logger, Stream stream, FiveTuple tuple)
    : IClientTransport, IClientSender
{
    private readonly Lock _writeLock = new();
    private CancellationTokenSource? _deadline;
    private bool _deadlineArmed;
    private Action? _beforeAnswer;

    public bool IsStream => true;

    public bool NeverBlocks => false;

    public IClientSender CreateSender(in FiveTuple tuple) => this;

    /// <summary>
    /// Reads and handles frames until the peer closes, the stream breaks, the server stops, or the connection
    /// has gone <see cref="TurnOptions.StreamWithoutAllocationTimeout"/> without an allocation.
    /// </summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(2 * StunMessage.MaxLength);
        byte[] response = ArrayPool<byte>.Shared.Rent(TurnRequestHandler.MaxResponseLength);
        using var deadline = new CancellationTokenSource(Timeout.InfiniteTimeSpan, server.Time);
        _deadline = deadline;
        using CancellationTokenRegistration stopping = stoppingToken.Register(static cts => ((CancellationTokenSource)cts!).Cancel(), deadline);
        long withoutAllocationSince = server.Time.GetTimestamp();
        int filled = 0;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                // Armed only while there is no allocation: a read is never cancelled under a live one.
                long now = server.Time.GetTimestamp();
                if (server.Allocations.TryGet(tuple, now, out _))
                {
                    withoutAllocationSince = now;
                    DisarmDeadline();
                }
                else
                {
                    TimeSpan left = server.Options.StreamWithoutAllocationTimeout - server.Time.GetElapsedTime(withoutAllocationSince, now);
                    if (left <= TimeSpan.Zero)
                    {
                        return;
                    }

                    deadline.CancelAfter(left);
                    _deadlineArmed = true;
                }

                int read = await stream.ReadAsync(buffer.AsMemory(filled), deadline.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    return;
                }

                filled += read;
                int consumed = HandleFrames(buffer.AsSpan(0, filled), response);
                if (consumed < 0)
                {
                    return; // Neither STUN nor ChannelData: the stream cannot be resynchronised.
                }

                buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
                filled -= consumed;
            }
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            TurnLog.StreamWithoutAllocation(logger, tuple.Client);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            ArrayPool<byte>.Shared.Return(response);
        }
    }

    /// <summary>Handles every complete frame in <paramref name="data"/>; returns the bytes consumed, or -1 on garbage.</summary>
    private int HandleFrames(Span<byte> data, byte[] response) =>
        StreamFrameHandler.HandleAll(server, logger, tuple, this, data, response, _beforeAnswer ??= BeforeAnswer, out _);

    /// <summary>
    /// Disarms the deadline before the answer leaves: a client that got its Allocate success must not lose the
    /// connection to a deadline that fires before the read loop comes round to see the allocation.
    /// </summary>
    private void BeforeAnswer()
    {
        if (_deadlineArmed && server.Allocations.TryGet(tuple, server.Time.GetTimestamp(), out _))
        {
            DisarmDeadline();
        }
    }

    private void DisarmDeadline()
    {
        _deadline?.CancelAfter(Timeout.InfiniteTimeSpan);
        _deadlineArmed = false;
    }

    /// <summary>Writes one message; relay threads and the read loop both send, so writes are serialised.</summary>
    public void Send(ReadOnlySpan<byte> message)
    {
        try
        {
            lock (_writeLock)
            {
                stream.Write(message);
            }
        }
        catch (IOException)
        {
            // The connection is going away; its read loop cleans up.
        }
        catch (ObjectDisposedException)
        {
        }
        catch (InvalidOperationException)
        {
            // SslStream after a failed or closed session.
        }
    }
}
