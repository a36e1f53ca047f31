using System.Text.Json;
using System.Text.Json.Nodes;
using Parley.Tests.Shared;

namespace Parley.Server.Tests.LiveKit;

/// <summary>
/// The real <c>WebhookReceiver</c> of npm <c>livekit-server-sdk</c> (tests/interop/receive-webhooks.mjs), run on
/// caught requests: what an app's backend does with Parley's webhooks.
/// </summary>
internal static class WebhookReceiverNode
{
    /// <summary>What WebhookReceiver made of one request: the parsed event, or why it refused it.</summary>
    public sealed record Result(bool Ok, JsonElement Event, string? Error);

    public static async Task<IReadOnlyList<Result>> ReceiveAsync(string apiKey, string secret, IEnumerable<(byte[] Body, string? Authorization)> requests)
    {
        var input = new JsonObject
        {
            ["apiKey"] = apiKey,
            ["secret"] = secret,
            ["requests"] = new JsonArray(requests.Select(request => (JsonNode)new JsonObject
            {
                ["body"] = Convert.ToBase64String(request.Body),
                ["authorization"] = request.Authorization,
            }).ToArray()),
        };
        using var results = JsonDocument.Parse(await InteropNode.RunAsync("receive-webhooks.mjs", standardInput: input.ToJsonString()));
        return results.RootElement.EnumerateArray()
            .Select(result => new Result(
                result.GetProperty("ok").GetBoolean(),
                result.TryGetProperty("event", out var parsed) ? parsed.Clone() : default,
                result.TryGetProperty("error", out var error) ? error.GetString() : null))
            .ToList();
    }
}
