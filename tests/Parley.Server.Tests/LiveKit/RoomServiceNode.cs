using System.Text.Json;
using System.Text.Json.Nodes;
using Parley.Tests.Shared;

namespace Parley.Server.Tests.LiveKit;

/// <summary>
/// The real <c>RoomServiceClient</c> of npm <c>livekit-server-sdk</c> (tests/interop/room-service.mjs) calling a
/// Parley server, as an app's backend does: it mints its own admin token for each call from the key and secret,
/// unless a test gives one.
/// </summary>
internal static class RoomServiceNode
{
    /// <summary>One call's outcome: its answer as protojson (defaults included), or the error the SDK raised.</summary>
    public sealed record Result(bool Ok, JsonElement Value, int? Status, string? Code, string? Message)
    {
        public JsonElement Answer => Ok ? Value : throw new Xunit.Sdk.XunitException($"the call failed: {Status} {Code} {Message}");
    }

    /// <summary>A RoomServiceClient method and its arguments; a byte[] argument is passed as a Uint8Array.</summary>
    public sealed record Call(string Method, params object?[] Args);

    public static async Task<IReadOnlyList<Result>> CallAsync(Uri server, string apiKey, string secret, IEnumerable<Call> calls, string? token = null)
    {
        var input = new JsonObject
        {
            ["url"] = server.ToString().TrimEnd('/'),
            ["apiKey"] = apiKey,
            ["secret"] = secret,
            ["token"] = token,
            ["calls"] = new JsonArray(calls.Select(call => (JsonNode)new JsonObject
            {
                ["method"] = call.Method,
                ["args"] = new JsonArray(call.Args.Select(Argument).ToArray()),
            }).ToArray()),
        };
        using var results = JsonDocument.Parse(await InteropNode.RunAsync("room-service.mjs", standardInput: input.ToJsonString()));
        return results.RootElement.EnumerateArray()
            .Select(result => new Result(
                result.GetProperty("ok").GetBoolean(),
                result.TryGetProperty("result", out var value) ? value.Clone() : default,
                result.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.Number ? status.GetInt32() : null,
                result.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String ? code.GetString() : null,
                result.TryGetProperty("message", out var message) ? message.GetString() : null))
            .ToList();
    }

    public static async Task<Result> CallOneAsync(Uri server, string apiKey, string secret, Call call, string? token = null) =>
        (await CallAsync(server, apiKey, secret, [call], token)).Single();

    private static JsonNode? Argument(object? value) => value switch
    {
        null => null,
        byte[] bytes => new JsonObject { ["$bytes"] = Convert.ToBase64String(bytes) },
        _ => JsonSerializer.SerializeToNode(value, value.GetType(), WebJson),
    };

    private static readonly JsonSerializerOptions WebJson = new(JsonSerializerDefaults.Web);
}
