using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using Parley.Signaling.Sessions;

namespace Parley.Signaling.Transports.Direct;

/// <summary>
/// A Kestrel connection middleware that takes a plain connection whose first request is a WebSocket upgrade to
/// <see cref="SignalingOptions.Path"/> (<see cref="UpgradeRequest"/>) and runs the signaling session on it directly,
/// without an HTTP request: an idle connection then holds its socket, pipes and session, not also Kestrel's HTTP/1.1
/// connection, headers, request and response streams, HttpContext, Activity and log scopes (about 9 KiB of managed
/// heap, measured with dotnet-gcdump; docs/benchmarks.md), and each message skips those layers. The request is only
/// examined until it is known to be something else, and then left in the pipe for Kestrel, which answers it as before.
/// </summary>
/// <param name="next">Kestrel's HTTP handling, for every other connection.</param>
/// <param name="server">The signaling server, resolved at the first connection (Kestrel's options are built before it).</param>
/// <param name="headTimeout">How long a request head may take to arrive; a slower one goes to Kestrel, with its own timeout.</param>
public sealed class DirectWebSocketMiddleware(ConnectionDelegate next, Func<SignalingServer> server, TimeSpan headTimeout, ILogger logger)
{
    /// <remarks>
    /// The session is not awaited here: <see cref="AcceptAsync"/> returns it once the 101 is written, and Kestrel awaits
    /// it directly, so an idle connection holds no frame of this middleware, nor the request it read.
    /// </remarks>
    public Task OnConnectedAsync(ConnectionContext connection)
    {
        var signaling = server();
        return signaling.Options.DirectWebSocket ? AcceptAsync(connection, signaling).Unwrap() : next(connection);
    }

    /// <summary>What runs the connection once its head is read: Kestrel's HTTP handling, or the signaling session.</summary>
    private async Task<Task> AcceptAsync(ConnectionContext connection, SignalingServer signaling)
    {
        if (await TryReadUpgradeAsync(connection.Transport.Input, signaling).ConfigureAwait(false) is not { } request)
        {
            return next(connection);
        }

        // From here as the endpoint does once ASP.NET Core has accepted the WebSocket.
        var acquired = signaling.Connections.TryAcquire();
        var keepAlive = TimeSpan.FromSeconds(signaling.Options.KeepAliveSeconds);
        if (!acquired || keepAlive > TimeSpan.Zero)
        {
            return RunRuntimeWebSocketAsync(connection, signaling, request, acquired, keepAlive);
        }

        try
        {
            await connection.Transport.Output.WriteAsync(UpgradeResponse.For(request.Key), connection.ConnectionClosed).ConfigureAwait(false);
        }
        catch
        {
            signaling.Connections.Release();
            throw;
        }

        // Frames are read and written on the pipes themselves (PipeWebSocketTransport); the session gives the slot back.
        // No token for the connection's end: when Kestrel's socket closes or is aborted, it completes both pipes, which
        // ends the transport's read and fails its sends, so a registration on ConnectionClosed (two objects per
        // connection) would add nothing.
        var maxMessageBytes = signaling.Options.MaxMessageBytes;
        return signaling.RunSessionAsync(session => new PipeWebSocketTransport(connection.Transport, maxMessageBytes, logger, session.ConnectionId),
            Origin(connection, request), greet: true, releasesConnection: true, CancellationToken.None);
    }

    /// <summary>
    /// The runtime's WebSocket over the pipes: it sends RFC 6455 pings (Signaling:KeepAliveSeconds), and refuses a
    /// connection over the limit with the same code as the endpoint.
    /// </summary>
    private async Task RunRuntimeWebSocketAsync(ConnectionContext connection, SignalingServer signaling, UpgradeRequest request, bool acquired, TimeSpan keepAlive)
    {
        try
        {
            await connection.Transport.Output.WriteAsync(UpgradeResponse.For(request.Key), connection.ConnectionClosed).ConfigureAwait(false);
            using var socket = WebSocket.CreateFromStream(new DuplexPipeStream(connection.Transport), new WebSocketCreationOptions
            {
                IsServer = true,
                KeepAliveInterval = keepAlive,
                KeepAliveTimeout = keepAlive > TimeSpan.Zero ? keepAlive : Timeout.InfiniteTimeSpan,
            });
            if (!acquired)
            {
                SignalingLog.ServerBusy(logger, signaling.Options.MaxConnections);
                await SignalingServer.RefuseBusyAsync(socket, connection.ConnectionClosed).ConfigureAwait(false);
                return;
            }

            await signaling.RunSessionAsync(socket, Origin(connection, request), connection.ConnectionClosed).ConfigureAwait(false);
        }
        finally
        {
            if (acquired)
            {
                signaling.Connections.Release();
            }
        }
    }

    private static SessionOrigin Origin(ConnectionContext connection, UpgradeRequest request)
    {
        var token = QueryHelpers.ParseNullableQuery(request.Query) is { } query && query.TryGetValue("access_token", out var value)
            ? value.ToString()
            : null;
        return new SessionOrigin(new HostString(request.Host).Host, (connection.RemoteEndPoint as IPEndPoint)?.Address, token);
    }

    /// <summary>The upgrade request, consumed from <paramref name="input"/>; or null, with nothing consumed, for Kestrel.</summary>
    private async Task<UpgradeRequest?> TryReadUpgradeAsync(PipeReader input, SignalingServer signaling)
    {
        using var deadline = new CancellationTokenSource(headTimeout, signaling.Time);
        while (true)
        {
            ReadResult result;
            try
            {
                result = await input.ReadAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return null; // What arrived so far was examined: Kestrel reads on when more comes, under its own timeout.
            }

            var buffer = result.Buffer;
            var examined = buffer.Slice(0, Math.Min(buffer.Length, UpgradeRequest.MaxHeadBytes));
            var decision = Decide(examined, signaling.Options.Path, out var request, out var headLength);
            if (decision == Decision.NeedMore && !result.IsCompleted && !result.IsCanceled && buffer.Length < UpgradeRequest.MaxHeadBytes)
            {
                input.AdvanceTo(buffer.Start, buffer.End);
                continue;
            }

            // Consumed only when it is ours; otherwise nothing examined either, so Kestrel's first read returns at once.
            input.AdvanceTo(decision == Decision.Upgrade ? buffer.GetPosition(headLength) : buffer.Start);
            return decision == Decision.Upgrade ? request : null;
        }
    }

    private static Decision Decide(ReadOnlySequence<byte> bytes, string path, out UpgradeRequest? request, out int headLength)
    {
        request = null;
        headLength = -1;
        var rented = bytes.IsSingleSegment ? null : ArrayPool<byte>.Shared.Rent((int)bytes.Length);
        try
        {
            if (rented is not null)
            {
                bytes.CopyTo(rented);
            }

            ReadOnlySpan<byte> span = rented is null ? bytes.FirstSpan : rented.AsSpan(0, (int)bytes.Length);

            if (!UpgradeRequest.MayBeFor(span, path))
            {
                return Decision.NotOurs;
            }

            headLength = UpgradeRequest.HeadLength(span);
            return headLength < 0 ? Decision.NeedMore
                : UpgradeRequest.TryRead(span[..headLength], path, out request) ? Decision.Upgrade : Decision.NotOurs;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private enum Decision
    {
        NeedMore,
        NotOurs,
        Upgrade,
    }
}
