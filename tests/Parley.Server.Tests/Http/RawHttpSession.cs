using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Parley.Server.Tests;

/// <summary>
/// An HTTP signaling session driven request by request, for tests of the wire itself: which reader attaches when,
/// with which <c>Last-Event-ID</c>, and what each request answers.
/// </summary>
public sealed class RawHttpSession(HttpClient http, string id) : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    public string Id { get; } = id;

    public HttpClient Http { get; } = http;

    public static async Task<RawHttpSession> OpenAsync(Uri server, IPAddress? from = null)
    {
        var http = HttpSignalingClient.NewHttp(server, from);
        using var response = await http.PostAsync("/signal", null);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return new RawHttpSession(http, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("session").GetString()!);
    }

    public async Task<HttpStatusCode> PostAsync(long sequence, object message)
    {
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(message)));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var timeout = new CancellationTokenSource(Deadline);
        using var response = await Http.PostAsync($"/signal/{Id}/messages?seq={sequence}", content, timeout.Token);
        return response.StatusCode;
    }

    /// <summary>An event stream: after <paramref name="lastEventId"/> as a reconnecting EventSource says it, or after <paramref name="last"/> in the query.</summary>
    public async Task<OpenEvents> StreamAsync(long? lastEventId = null, long? last = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/signal/{Id}/events" + (last is { } n ? $"?last={n}" : ""));
        if (lastEventId is { } header)
        {
            request.Headers.Add("Last-Event-ID", header.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var cancel = new CancellationTokenSource();
        var response = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-cache", response.Headers.CacheControl?.ToString());
        Assert.Equal("no", string.Join(",", response.Headers.GetValues("X-Accel-Buffering")));
        return new OpenEvents(request, response, new EventStreamReader(await response.Content.ReadAsStreamAsync()), cancel);
    }

    /// <summary>One long poll after <paramref name="last"/>: its status and, for 200, its body.</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body)> PollAsync(long last, CancellationToken cancellationToken = default)
    {
        using var response = await Http.GetAsync($"/signal/{Id}/poll?last={last}", cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return (response.StatusCode, text.Length > 0 ? JsonDocument.Parse(text).RootElement.Clone() : default);
    }

    public void Dispose() => Http.Dispose();

    /// <summary>An open event stream; disposing it drops the connection, as a network that fails mid-stream.</summary>
    public sealed class OpenEvents(HttpRequestMessage request, HttpResponseMessage response, EventStreamReader reader, CancellationTokenSource cancel) : IDisposable
    {
        /// <summary>The next event, or null once the server ends the stream; fails after the deadline.</summary>
        public async Task<ServerSentEvent?> ReadAsync()
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel.Token);
            timeout.CancelAfter(Deadline);
            return await reader.ReadAsync(timeout.Token);
        }

        /// <summary>The next message event: its id and JSON.</summary>
        public async Task<(long Id, JsonElement Message)> ReadMessageAsync()
        {
            var next = await ReadAsync() ?? throw new Xunit.Sdk.XunitException("The event stream ended.");
            Assert.Null(next.Event);
            return (next.Id!.Value, JsonDocument.Parse(next.Data).RootElement.Clone());
        }

        public void Dispose()
        {
            cancel.Cancel();
            reader.Dispose();
            response.Dispose();
            request.Dispose();
            cancel.Dispose();
        }
    }
}
