using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Parley.Compat.PeerJs.Protocol;
using Parley.Compat.PeerJs.Realm;
using Parley.Signaling.Sessions;

namespace Parley.Compat.PeerJs.Hosting;

/// <summary>
/// The HTTP side of peerjs-server 1.0 (<c>src/api/v1/public/index.ts</c>, <c>src/services/webSocketServer</c>): a new id,
/// the id list, and the WebSocket with its checks of <c>key</c>, <c>id</c> and <c>token</c> before the id is given.
/// </summary>
internal sealed class PeerJsEndpoint(PeerJsOptions options, PeerJsRealm realm, ConnectionCounter connections, TimeProvider time, ILogger<PeerJsEndpoint> logger)
{
    /// <summary>How long a refused socket waits for the client's close before it is dropped.</summary>
    private static readonly TimeSpan RefusalCloseTimeout = TimeSpan.FromSeconds(5);

    /// <summary><c>GET {path}/{key}/id</c>: a random id no one holds, as text.</summary>
    public IResult NewId(HttpContext context, string key)
    {
        AllowAnyOrigin(context);
        return KeyMatches(key) ? Results.Text(realm.NewId(), "text/plain") : Results.Text(PeerJsErrors.InvalidKey, statusCode: StatusCodes.Status401Unauthorized);
    }

    /// <summary><c>GET {path}/{key}/peers</c>: the connected ids, only with <see cref="PeerJsOptions.AllowDiscovery"/>; else 401 as peerjs-server.</summary>
    public IResult Peers(HttpContext context, string key)
    {
        AllowAnyOrigin(context);
        return options.AllowDiscovery && KeyMatches(key)
            ? Results.Bytes(PeerJsFrames.Ids(realm.Ids()), "application/json")
            : Results.StatusCode(StatusCodes.Status401Unauthorized);
    }

    /// <summary><c>{path}/peerjs?key=&amp;id=&amp;token=&amp;version=</c>.</summary>
    public async Task HandleSocketAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status426UpgradeRequired;
            context.Response.Headers.Upgrade = "websocket";
            await context.Response.WriteAsync("This is a PeerJS server's WebSocket; see docs/protocol.md.\n").ConfigureAwait(false);
            return;
        }

        var query = context.Request.Query;
        string? key = query["key"], id = query["id"], token = query["token"];
        var acquired = connections.TryAcquire();
        try
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync(AcceptContext()).ConfigureAwait(false);
            if (Refusal(acquired, key, id, token) is { } refusal)
            {
                PeerJsLog.Refused(logger, refusal);
                await RefuseAsync(socket, PeerJsFrames.Error(refusal), context.RequestAborted).ConfigureAwait(false);
                return;
            }

            using var connection = new PeerJsConnection(socket, id!, realm, options, time, logger);
            switch (realm.Attach(id!, token!, connection))
            {
                case PeerJsAttach.Taken:
                    PeerJsLog.Taken(logger, id!);
                    await RefuseAsync(socket, PeerJsFrames.IdTaken, context.RequestAborted).ConfigureAwait(false);
                    return;
                case PeerJsAttach.Reclaimed:
                    PeerJsLog.Reclaimed(logger, id!);
                    break;
                default:
                    PeerJsLog.Opened(logger, id!, realm.Count);
                    break;
            }

            await connection.RunAsync(context.RequestAborted).ConfigureAwait(false);
        }
        finally
        {
            if (acquired)
            {
                connections.Release();
            }
        }
    }

    /// <summary>What is wrong with a new socket, in peerjs-server's words where it has them; null when nothing is.</summary>
    private string? Refusal(bool acquired, string? key, string? id, string? token)
    {
        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(token) || string.IsNullOrEmpty(key))
        {
            return PeerJsErrors.InvalidWsParameters;
        }

        if (!KeyMatches(key))
        {
            return PeerJsErrors.InvalidKey;
        }

        if (!PeerJsIds.IsValidId(id))
        {
            return PeerJsErrors.InvalidId;
        }

        if (!PeerJsIds.IsValidToken(token))
        {
            return PeerJsErrors.InvalidToken;
        }

        if (!acquired)
        {
            PeerJsLog.ServerBusy(logger, connections.Max);
            return PeerJsErrors.ConnectionLimitExceeded;
        }

        return null;
    }

    private bool KeyMatches(string? key) => PeerJsIds.SecretEquals(options.Key, key);

    /// <summary>
    /// PeerJS apps are served from their own origins and fetch ids cross-origin; the answers hold nothing private
    /// (peerjs-server reflects any origin).
    /// </summary>
    private static void AllowAnyOrigin(HttpContext context)
    {
        context.Response.Headers.AccessControlAllowOrigin = "*";
        context.Response.Headers.CacheControl = "no-store";
    }

    private WebSocketAcceptContext AcceptContext()
    {
        var keepAlive = TimeSpan.FromSeconds(options.KeepAliveSeconds);
        return keepAlive > TimeSpan.Zero
            ? new WebSocketAcceptContext { KeepAliveInterval = keepAlive, KeepAliveTimeout = keepAlive }
            : new WebSocketAcceptContext { KeepAliveInterval = TimeSpan.Zero };
    }

    /// <summary>Sends one message, closes, and waits (bounded) for the client's close, as peerjs-server's send-then-close.</summary>
    private static async Task RefuseAsync(WebSocket socket, byte[] frame, CancellationToken requestAborted)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
        timeout.CancelAfter(RefusalCloseTimeout);
        try
        {
            await socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, timeout.Token).ConfigureAwait(false);
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", timeout.Token).ConfigureAwait(false);
            var buffer = new byte[256];
            while ((await socket.ReceiveAsync(buffer.AsMemory(), timeout.Token).ConfigureAwait(false)).MessageType != WebSocketMessageType.Close)
            {
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
            // The client went away or never answered the close: nothing more to say to it.
        }
    }
}
