using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Parley.Bench.Signaling;

/// <summary>
/// A participant over Parley's HTTP signaling (docs/protocol.md, "Signaling over HTTP"), as a client that cannot use
/// WebSockets would do it: <c>POST /signal</c> opens a session; <c>GET /signal/ID/events</c>, read as a streaming
/// response, carries the server's messages; each message of ours is one <c>POST /signal/ID/messages?seq=K</c>,
/// numbered from 1, sent one after the other (the next once the last is answered, so they arrive in order and the
/// server never holds one back).
/// </summary>
internal sealed class HttpLink(HttpClient client, Uri signal) : IParticipantLink
{
    private string? session;
    private string? messages;
    private long sent;
    private volatile bool open;

    public bool IsOpen => open;

    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await client.PostAsync(signal, content: null, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new HttpRequestException($"POST {signal}: {(int)response.StatusCode} {await Text(response, cancellationToken).ConfigureAwait(false)}");
        }

        using JsonDocument body = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false));
        string id = body.RootElement.GetProperty("session").GetString()!;
        session = $"{signal}/{id}";
        messages = $"{session}/messages?seq=";
        open = true;
    }

    public async Task<string> ReceiveAsync(Participant participant, CancellationToken cancellationToken)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"{session}/events");
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
            using HttpResponseMessage response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken)
                .ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return $"event stream refused: {(int)response.StatusCode} {await Text(response, cancellationToken).ConfigureAwait(false)}";
            }

            Stream body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (body.ConfigureAwait(false))
            {
                var events = new EventStreamReader(body);
                while (await events.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    switch (events.EventType)
                    {
                        case null or "message":
                            participant.OnFrame(events.Data);
                            break;
                        case "close":
                            return "close " + Encoding.UTF8.GetString(events.Data);
                        case "reset":
                            return "reset";
                    }
                }
            }

            return "event stream ended";
        }
        finally
        {
            open = false;
        }
    }

    public async ValueTask SendAsync(byte[] frame, CancellationToken cancellationToken)
    {
        long sequence = ++sent;
        using var content = new ByteArrayContent(frame);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using HttpResponseMessage response = await client.PostAsync(messages + sequence.ToString(CultureInfo.InvariantCulture), content, cancellationToken)
            .ConfigureAwait(false);
        if (response.StatusCode is not (HttpStatusCode.NoContent or HttpStatusCode.Accepted))
        {
            open = false;
            throw new HttpRequestException($"POST seq={sequence}: {(int)response.StatusCode} {await Text(response, cancellationToken).ConfigureAwait(false)}");
        }
    }

    /// <summary><c>DELETE /signal/ID?code=1000</c>: the participant left, the server frees it at once.</summary>
    public async Task CloseAsync(TimeSpan timeout)
    {
        if (session is null)
        {
            return;
        }

        using var timer = new CancellationTokenSource(timeout);
        try
        {
            using HttpResponseMessage response = await client.DeleteAsync($"{session}?code=1000", timer.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or HttpRequestException)
        {
        }
    }

    public void Dispose() => open = false;

    private static async Task<string> Text(HttpResponseMessage response, CancellationToken cancellationToken) =>
        await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
}
