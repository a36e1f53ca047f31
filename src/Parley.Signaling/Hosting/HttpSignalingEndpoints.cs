using System.Buffers;
using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Parley.Signaling.Protocol;
using Parley.Signaling.Sessions;
using Parley.Signaling.Transports.Http;

namespace Parley.Signaling.Hosting;

/// <summary>
/// Signaling over plain HTTP at <see cref="HttpSignalingOptions.Path"/> (docs/protocol.md, "Signaling over HTTP"):
/// <c>POST /signal</c> opens a session; <c>GET /signal/{id}/events</c> (an event stream) or <c>GET /signal/{id}/poll</c>
/// (long polling) carries the server's messages; <c>POST /signal/{id}/messages?seq=N</c> one of the client's;
/// <c>DELETE /signal/{id}</c> closes.
/// </summary>
internal static class HttpSignalingEndpoints
{
    /// <summary>Messages one event-stream write or one poll answer carries at most.</summary>
    private const int MaxBatch = 256;

    public static void Map(IEndpointRouteBuilder endpoints, SignalingServer server)
    {
        var options = server.Options.Http;
        var registry = endpoints.ServiceProvider.GetRequiredService<HttpSessionRegistry>();
        var group = endpoints.MapGroup(options.Path);
        group.MapPost("", context => OpenAsync(context, registry, options));
        group.MapGet("{id}/events", context => WithSessionAsync(context, registry, transport => StreamEventsAsync(context, transport, options)));
        group.MapGet("{id}/poll", context => WithSessionAsync(context, registry, transport => PollAsync(context, transport, options, server)));
        group.MapPost("{id}/messages", context => WithSessionAsync(context, registry, transport => PostAsync(context, transport, server.Options.MaxMessageBytes)));
        group.MapDelete("{id}", context => WithSessionAsync(context, registry, transport => CloseAsync(context, transport)));
    }

    private static async Task OpenAsync(HttpContext context, HttpSessionRegistry registry, HttpSignalingOptions options)
    {
        var origin = new SessionOrigin(
            context.Request.Host.HasValue ? context.Request.Host.Host : null,
            context.Connection.RemoteIpAddress,
            AccessToken(context.Request));
        switch (registry.TryOpen(origin, out var transport))
        {
            case HttpOpenResult.Busy:
                context.Response.Headers.RetryAfter = "5";
                await WriteErrorAsync(context, StatusCodes.Status503ServiceUnavailable, ErrorCode.ServerBusy,
                    "The server is at its connection limit; try again later.").ConfigureAwait(false);
                return;
            case HttpOpenResult.TooManyForAddress:
                await WriteErrorAsync(context, StatusCodes.Status429TooManyRequests, ErrorCode.TooManySessions,
                    $"This address holds {options.MaxSessionsPerAddress} signaling sessions already; close one first.").ConfigureAwait(false);
                return;
        }

        context.Response.StatusCode = StatusCodes.Status201Created;
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store";
        using (var json = new Utf8JsonWriter(context.Response.BodyWriter))
        {
            json.WriteStartObject();
            json.WriteString("session", transport!.Id);
            json.WriteEndObject();
        }

        await context.Response.BodyWriter.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary><c>?access_token=</c>, or an <c>Authorization: Bearer</c> header (which HTTP, unlike a browser's WebSocket, can send).</summary>
    private static string? AccessToken(HttpRequest request)
    {
        if (request.Query.TryGetValue("access_token", out var token))
        {
            return token.ToString();
        }

        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization[7..].Trim() : null;
    }

    /// <summary>Finds the session named in the route for the address asking; counts the request as activity while it runs.</summary>
    private static async Task WithSessionAsync(HttpContext context, HttpSessionRegistry registry, Func<HttpTransport, Task> handle)
    {
        var id = context.Request.RouteValues["id"] as string ?? "";
        if (registry.Find(id, context.Connection.RemoteIpAddress) is not { } transport)
        {
            // The same answer whether the id never existed or belongs to another address: nothing to probe.
            await WriteErrorAsync(context, StatusCodes.Status404NotFound, ErrorCode.UnknownSession,
                "No signaling session has this id: it ended or expired. Open a new one and resume.").ConfigureAwait(false);
            return;
        }

        transport.BeginRequest();
        try
        {
            await handle(transport).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // The client went away mid-request; the session lives on until it is idle too long.
        }
        finally
        {
            transport.EndRequest();
        }
    }

    private static async Task StreamEventsAsync(HttpContext context, HttpTransport transport, HttpSignalingOptions options)
    {
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no"; // nginx: pass each event on at once
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        var output = response.BodyWriter;

        // EventSource sends Last-Event-ID on its own reconnects; a new EventSource cannot, so it says ?last=.
        var lastSeen = ReadLong(context.Request.Headers["Last-Event-ID"].ToString()) ?? ReadLong(context.Request.Query["last"].ToString()) ?? 0;
        if (transport.AttachReader(lastSeen, "sse") is not { } reader)
        {
            EventStreamFormat.WriteReset(output);
            await output.FlushAsync(context.RequestAborted).ConfigureAwait(false);
            return;
        }

        await output.FlushAsync(context.RequestAborted).ConfigureAwait(false); // headers out now: the client knows the stream is open
        var batch = new List<(long Sequence, byte[] Message)>();
        var keepAlive = TimeSpan.FromSeconds(options.EventStreamKeepAliveSeconds);
        var after = lastSeen;
        while (true)
        {
            batch.Clear();
            switch (await transport.ReadAsync(reader, after, MaxBatch, batch, keepAlive, context.RequestAborted).ConfigureAwait(false))
            {
                case ReadOutcome.Messages:
                    foreach (var (sequence, message) in batch)
                    {
                        EventStreamFormat.WriteMessage(output, sequence, message);
                    }

                    after = batch[^1].Sequence;
                    break;
                case ReadOutcome.Closed:
                    var (status, reason) = transport.Close;
                    EventStreamFormat.WriteClose(output, status, reason);
                    await output.FlushAsync(context.RequestAborted).ConfigureAwait(false);
                    transport.OnCloseDelivered();
                    return;
                case ReadOutcome.Superseded:
                    return;
                default:
                    EventStreamFormat.WriteKeepAlive(output);
                    break;
            }

            await output.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Long polling, for proxies that hold an event stream back: answers as soon as there is something after
    /// <c>?last=</c>, or after <see cref="HttpSignalingOptions.PollSeconds"/> with nothing. <c>{"messages":[...],
    /// "last":N}</c>, with <c>"close"</c> at the end or <c>"reset":true</c> when messages it missed are gone; 204
    /// when a newer poll or event stream took over.
    /// </summary>
    private static async Task PollAsync(HttpContext context, HttpTransport transport, HttpSignalingOptions options, SignalingServer server)
    {
        var lastSeen = ReadLong(context.Request.Query["last"].ToString()) ?? 0;
        var response = context.Response;
        response.Headers.CacheControl = "no-store";
        response.ContentType = "application/json";
        if (transport.AttachReader(lastSeen, "long-poll") is not { } reader)
        {
            await WritePollAsync(response, lastSeen, [], close: null, reset: true).ConfigureAwait(false);
            return;
        }

        var batch = new List<(long Sequence, byte[] Message)>();
        var wait = TimeSpan.FromSeconds(options.PollSeconds);
        var outcome = await transport.ReadAsync(reader, lastSeen, MaxBatch, batch, wait, context.RequestAborted).ConfigureAwait(false);
        if (server.IsShuttingDown)
        {
            // A stopping server answers no further request on this connection (Kestrel closes it after this one), so the
            // close that follows the goaway at once must ride along with it, or the client would never get it.
            var rest = new List<(long Sequence, byte[] Message)>();
            while (outcome == ReadOutcome.Messages && batch.Count < MaxBatch)
            {
                rest.Clear();
                outcome = await transport.ReadAsync(reader, batch[^1].Sequence, MaxBatch - batch.Count, rest, wait, context.RequestAborted).ConfigureAwait(false);
                batch.AddRange(rest);
                outcome = outcome == ReadOutcome.Timeout ? ReadOutcome.Messages : outcome;
                if (rest.Count == 0 && outcome == ReadOutcome.Messages)
                {
                    break;
                }
            }
        }

        var last = batch.Count > 0 ? batch[^1].Sequence : lastSeen;
        switch (outcome)
        {
            case ReadOutcome.Superseded when batch.Count == 0:
                response.StatusCode = StatusCodes.Status204NoContent;
                return;
            case ReadOutcome.Closed:
                await WritePollAsync(response, last, batch, transport.Close, reset: false).ConfigureAwait(false);
                transport.OnCloseDelivered();
                return;
            default:
                await WritePollAsync(response, last, batch, close: null, reset: false).ConfigureAwait(false);
                return;
        }
    }

    private static async Task WritePollAsync(HttpResponse response, long last, List<(long Sequence, byte[] Message)> batch,
        (WebSocketCloseStatus Status, string Reason)? close, bool reset)
    {
        using (var json = new Utf8JsonWriter(response.BodyWriter))
        {
            json.WriteStartObject();
            json.WriteStartArray("messages");
            foreach (var (_, message) in batch)
            {
                json.WriteRawValue(message, skipInputValidation: true); // our own serialized messages
            }

            json.WriteEndArray();
            json.WriteNumber("last", last);
            if (close is var (status, reason))
            {
                // With the same writer: raw bytes written past it leave it expecting the property's value, and its
                // WriteEndObject below then throws (the poll that should carry the close answered 500 instead).
                json.WritePropertyName("close");
                EventStreamFormat.WriteCloseJson(json, status, reason);
            }

            if (reset)
            {
                json.WriteBoolean("reset", true);
            }

            json.WriteEndObject();
        }

        await response.BodyWriter.FlushAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// One client message, <c>?seq=N</c> (1, 2, 3... per session). 204 once applied or when it was already; 202 when
    /// held for an earlier one still missing; 409 <c>out-of-order</c> too far ahead; 413 <c>too-large</c> over the
    /// message limit, which closes the session as it would a WebSocket.
    /// </summary>
    private static async Task PostAsync(HttpContext context, HttpTransport transport, int maxMessageBytes)
    {
        if (ReadLong(context.Request.Query["seq"].ToString()) is not { } sequence)
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, ErrorCode.InvalidMessage,
                "Number each message: ?seq=1, 2, 3... in the order sent.").ConfigureAwait(false);
            return;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(maxMessageBytes + 1);
        try
        {
            var length = 0;
            if (context.Request.ContentLength is { } declared && declared > maxMessageBytes)
            {
                length = maxMessageBytes + 1;
            }

            // Reads at most one byte past the limit: a stranger's POST never makes the server buffer more than that.
            int read;
            while (length <= maxMessageBytes
                && (read = await context.Request.Body.ReadAsync(buffer.AsMemory(length, maxMessageBytes + 1 - length), context.RequestAborted).ConfigureAwait(false)) > 0)
            {
                length += read;
            }

            if (length > maxMessageBytes)
            {
                transport.RefuseTooLarge();
                await WriteErrorAsync(context, StatusCodes.Status413PayloadTooLarge, ErrorCode.TooLarge,
                    $"Messages are limited to {maxMessageBytes} bytes.").ConfigureAwait(false);
                return;
            }

            switch (transport.Deliver(sequence, buffer.AsSpan(0, length)))
            {
                case SequenceResult.Held:
                    context.Response.StatusCode = StatusCodes.Status202Accepted;
                    return;
                case SequenceResult.OutOfWindow:
                    await WriteErrorAsync(context, StatusCodes.Status409Conflict, ErrorCode.OutOfOrder,
                        "This message is too far ahead of the ones applied; send the missing ones first.").ConfigureAwait(false);
                    return;
                default:
                    context.Response.StatusCode = StatusCodes.Status204NoContent;
                    return;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// The client closes: <c>?code=</c> a WebSocket close code with its meaning there (1000, or none: it left; 4000:
    /// reconnecting, it keeps its place to resume).
    /// </summary>
    private static Task CloseAsync(HttpContext context, HttpTransport transport)
    {
        var code = ReadLong(context.Request.Query["code"].ToString());
        transport.CloseFromClient(code is >= 1000 and <= 4999 ? (WebSocketCloseStatus)code : null);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
        return Task.CompletedTask;
    }

    private static long? ReadLong(string text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static async Task WriteErrorAsync(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store";
        await context.Response.Body.WriteAsync(
            ProtocolJson.Serialize(new ErrorMessage(code, message, null), SignalingJsonContext.Default.ErrorMessage), context.RequestAborted).ConfigureAwait(false);
    }
}
