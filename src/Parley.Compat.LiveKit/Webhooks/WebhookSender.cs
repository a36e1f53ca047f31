using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using Parley.Access;

namespace Parley.Compat.LiveKit.Webhooks;

/// <summary>One attempt to post one event to one URL, signed (<see cref="WebhookSigner"/>) at the moment it is sent.</summary>
internal sealed class WebhookSender
{
    /// <summary>The <see cref="IHttpClientFactory"/> client: no redirects, no logging of URLs (they may hold credentials).</summary>
    public const string HttpClientName = "Parley.Webhooks";

    /// <summary>LiveKit's <c>ContentType</c> for webhooks (livekit/protocol <c>webhook/consts.go</c>).</summary>
    public static readonly MediaTypeHeaderValue ContentType = new("application/webhook+json");

    private readonly IHttpClientFactory clients;
    private readonly TimeProvider time;
    private readonly Lazy<WebhookSigner> signer;

    public WebhookSender(IHttpClientFactory clients, IOptions<WebhookOptions> options, IOptions<AuthOptions> auth, TimeProvider time)
    {
        this.clients = clients;
        this.time = time;
        // Built on first use: without URLs there is no key to sign with. The start-up check has made sure the key exists.
        signer = new(() => new WebhookSigner(options.Value.ApiKey!, auth.Value.Keys[options.Value.ApiKey!], time));
    }

    /// <returns>Null when the receiver answered 2xx; else why the attempt failed, for the log.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="stopping"/> was cancelled.</exception>
    public async Task<string?> SendAsync(Uri url, WebhookMessage message, TimeSpan timeout, CancellationToken stopping)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ReadOnlyMemoryContent(message.Body) };
        request.Content.Headers.ContentType = ContentType;
        // A bare JWT, without "Bearer", as LiveKit sends it and its WebhookReceiver expects.
        request.Headers.TryAddWithoutValidation("Authorization", signer.Value.Sign(message.Body.Span));
        using var timeoutSource = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, timeoutSource.Token);
        try
        {
            // Headers only: the receiver's body is not read, so a large one costs nothing.
            using var response = await clients.CreateClient(HttpClientName)
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            return response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode}";
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            return $"no answer within {timeout.TotalSeconds:0.#} s";
        }
        catch (HttpRequestException error)
        {
            return error.HttpRequestError == HttpRequestError.Unknown ? error.Message : error.HttpRequestError.ToString();
        }
    }
}
