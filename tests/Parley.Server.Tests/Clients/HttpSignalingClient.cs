using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Parley.Server.Tests;

/// <summary>
/// A test client for signaling over HTTP (docs/protocol.md, "Signaling over HTTP"): opens a session with
/// <c>POST /signal</c>, reads the server's messages from an event stream (<c>sse</c>) or long polls (<c>long-poll</c>)
/// in the background, as the SDK does, and sends each message as a POST numbered 1, 2, 3...
/// </summary>
public sealed class HttpSignalingClient : SignalingTestClient
{
    /// <summary>The header <see cref="ClientAddressFilter"/> reads: the client address the server should see.</summary>
    public const string ClientAddressHeader = "X-Test-Client-Address";

    private readonly CancellationTokenSource reading = new();
    private readonly string transport;
    private Task reader = Task.CompletedTask;
    private long lastSequence;
    private long lastSeen;
    private WebSocketCloseStatus? closeStatus;
    private string? closeReason;
    private volatile bool aborted;
    private int disposed;

    private HttpSignalingClient(HttpClient http, string session, string transport, bool answersHeartbeats)
        : base(answersHeartbeats)
    {
        Http = http;
        Session = session;
        this.transport = transport;
    }

    public override string Transport => transport;

    /// <summary>The session id from <c>POST /signal</c>.</summary>
    public string Session { get; }

    /// <summary>This client's HTTP client (its base address is the server's), for requests a test makes by hand.</summary>
    public HttpClient Http { get; }

    /// <summary>The number of the last message the reader saw.</summary>
    public long LastSeen => Interlocked.Read(ref lastSeen);

    /// <summary>The last <c>seq</c> this client used.</summary>
    public long LastSequence => Interlocked.Read(ref lastSequence);

    /// <summary>The reader was told its missed messages are gone (<c>event: reset</c>, <c>{"reset":true}</c>).</summary>
    public bool WasReset { get; private set; }

    public override WebSocketCloseStatus? CloseStatus => closeStatus;

    protected override string? CloseDescription => closeReason;

    /// <summary>A new HTTP client for the server at <paramref name="server"/>, optionally seen by it as coming from <paramref name="from"/>.</summary>
    public static HttpClient NewHttp(Uri server, IPAddress? from = null)
    {
        var http = new HttpClient { BaseAddress = server, Timeout = Timeout.InfiniteTimeSpan };
        if (from is not null)
        {
            http.DefaultRequestHeaders.Add(ClientAddressHeader, from.ToString());
        }

        return http;
    }

    /// <summary>
    /// Opens a session and starts reading (<paramref name="transport"/>: <c>sse</c> or <c>long-poll</c>); returns after
    /// <c>hello</c>. <paramref name="accessToken"/> goes in the query, or with <paramref name="bearer"/> as an
    /// <c>Authorization</c> header.
    /// </summary>
    public static async Task<HttpSignalingClient> ConnectAsync(Uri server, string transport, bool answersHeartbeats = true,
        string? accessToken = null, bool bearer = false, IPAddress? from = null)
    {
        Assert.Contains(transport, (string[])["sse", "long-poll"]);
        var http = NewHttp(server, from);
        using var open = new HttpRequestMessage(HttpMethod.Post, accessToken is null || bearer ? "/signal" : "/signal?access_token=" + accessToken);
        if (bearer)
        {
            open.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        }

        using var timeout = new CancellationTokenSource(Deadline);
        using var response = await http.SendAsync(open, timeout.Token);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(timeout.Token));
        var client = new HttpSignalingClient(http, body.RootElement.GetProperty("session").GetString()!, transport, answersHeartbeats);
        client.reader = Task.Run(transport == "sse" ? client.StreamEventsAsync : client.PollAsync);
        client.Hello = await client.ExpectAsync("hello");
        return client;
    }

    public override async Task SendTextAsync(string text)
    {
        ObjectDisposedException.ThrowIf(aborted, this);
        var sequence = Interlocked.Increment(ref lastSequence);
        using var response = await PostAsync(sequence, Encoding.UTF8.GetBytes(text));
        if (response.StatusCode is not (HttpStatusCode.NoContent or HttpStatusCode.Accepted or HttpStatusCode.RequestEntityTooLarge))
        {
            // 413 is the size limit's answer, which also closes the session, as a WebSocket's 1009 would.
            throw new HttpRequestException($"POST seq={sequence}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}", null, response.StatusCode);
        }
    }

    /// <summary>One raw POST of message <paramref name="sequence"/>.</summary>
    public async Task<HttpResponseMessage> PostAsync(long sequence, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var timeout = new CancellationTokenSource(Deadline);
        return await Http.PostAsync($"/signal/{Session}/messages?seq={sequence}", content, timeout.Token);
    }

    /// <summary>Takes the next <c>seq</c> without sending it, for tests that send numbered messages themselves.</summary>
    public long TakeSequence() => Interlocked.Increment(ref lastSequence);

    /// <summary><c>DELETE /signal/ID?code=</c>: closes on purpose; the reader then ends.</summary>
    public override async Task CloseAsync(WebSocketCloseStatus status)
    {
        using var timeout = new CancellationTokenSource(Deadline);
        using var response = await Http.DeleteAsync($"/signal/{Session}?code={(int)status}", timeout.Token);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        await reader.WaitAsync(timeout.Token);
    }

    /// <summary>Stops reading and posting, as a client whose network went away: the server notices once the session is idle.</summary>
    public override void Abort()
    {
        aborted = true;
        reading.Cancel();
    }

    /// <summary>The reader has stopped (the session ended, or <see cref="Abort"/>).</summary>
    public Task Reader => reader;

    private async Task StreamEventsAsync()
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/signal/{Session}/events?last={LastSeen}");
            using var response = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, reading.Token);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                NoteUnexpected(response.StatusCode);
                return;
            }

            Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
            using var events = new EventStreamReader(await response.Content.ReadAsStreamAsync(reading.Token));
            while (await events.ReadAsync(reading.Token) is { } next)
            {
                switch (next.Event)
                {
                    case null:
                        Interlocked.Exchange(ref lastSeen, next.Id ?? throw new InvalidDataException("An event without an id."));
                        OnReceived(JsonDocument.Parse(next.Data).RootElement.Clone());
                        break;
                    case "close":
                        OnClose(JsonDocument.Parse(next.Data).RootElement);
                        return;
                    case "reset":
                        WasReset = true;
                        return;
                }
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // Aborted, or the server went away: the inbox simply ends.
        }
        finally
        {
            OnEnded();
        }
    }

    private async Task PollAsync()
    {
        try
        {
            while (true)
            {
                using var response = await Http.GetAsync($"/signal/{Session}/poll?last={LastSeen}", reading.Token);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    NoteUnexpected(response.StatusCode);
                    return; // 204: another reader took over; 404: the session is gone.
                }

                using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(reading.Token));
                Interlocked.Exchange(ref lastSeen, body.RootElement.GetProperty("last").GetInt64()); // before a test sees them
                foreach (var message in body.RootElement.GetProperty("messages").EnumerateArray())
                {
                    OnReceived(message.Clone());
                }

                if (body.RootElement.TryGetProperty("close", out var close))
                {
                    OnClose(close);
                    return;
                }

                if (body.RootElement.TryGetProperty("reset", out _))
                {
                    WasReset = true;
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            OnEnded();
        }
    }

    /// <summary>A reader's answer that no server state explains (a 5xx, say), for the test's failure message.</summary>
    public string? ReaderFault { get; private set; }

    private void NoteUnexpected(HttpStatusCode status)
    {
        if (status is not (HttpStatusCode.NoContent or HttpStatusCode.NotFound))
        {
            ReaderFault = $"the reader got {(int)status}";
            closeReason = ReaderFault;
        }
    }

    private void OnClose(JsonElement close)
    {
        closeReason = close.GetProperty("reason").GetString();
        closeStatus = (WebSocketCloseStatus)close.GetProperty("code").GetInt32();
    }

    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return; // Safe to call twice, as a WebSocket's is.
        }

        if (!aborted && !reader.IsCompleted)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                using var _ = await Http.DeleteAsync($"/signal/{Session}?code=1000", timeout.Token);
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
            {
            }
        }

        await reading.CancelAsync();
        await reader;
        Http.Dispose();
        reading.Dispose();
    }
}
