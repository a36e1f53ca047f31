using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Parley.Server.Tests.LiveKit;

/// <summary>
/// The real <c>WebhookReceiver</c> of npm <c>livekit-server-sdk</c> (tests/interop, installed by test.sh with
/// <c>npm ci</c>), run in node on caught requests: what an app's backend does with Parley's webhooks.
/// </summary>
internal static class WebhookReceiverNode
{
    /// <summary>What WebhookReceiver made of one request: the parsed event, or why it refused it.</summary>
    public sealed record Result(bool Ok, JsonElement Event, string? Error);

    public static async Task<IReadOnlyList<Result>> ReceiveAsync(string apiKey, string secret, IEnumerable<(byte[] Body, string? Authorization)> requests)
    {
        var interop = InteropDirectory();
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
        var start = new ProcessStartInfo("node", [Path.Combine(interop, "receive-webhooks.mjs")])
        {
            WorkingDirectory = interop,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var node = Process.Start(start)!;
        await node.StandardInput.WriteAsync(input.ToJsonString());
        node.StandardInput.Close();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var output = node.StandardOutput.ReadToEndAsync(deadline.Token);
        var errors = node.StandardError.ReadToEndAsync(deadline.Token);
        await node.WaitForExitAsync(deadline.Token);
        Assert.True(node.ExitCode == 0, $"node exited with {node.ExitCode}: {await errors}");
        using var results = JsonDocument.Parse(await output);
        return results.RootElement.EnumerateArray()
            .Select(result => new Result(
                result.GetProperty("ok").GetBoolean(),
                result.TryGetProperty("event", out var parsed) ? parsed.Clone() : default,
                result.TryGetProperty("error", out var error) ? error.GetString() : null))
            .ToList();
    }

    /// <summary>tests/interop of this checkout, with livekit-server-sdk installed.</summary>
    private static string InteropDirectory()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var interop = Path.Combine(directory.FullName, "tests", "interop");
            if (File.Exists(Path.Combine(directory.FullName, "Parley.slnx")) && Directory.Exists(interop))
            {
                Assert.True(
                    Directory.Exists(Path.Combine(interop, "node_modules", "livekit-server-sdk")),
                    $"livekit-server-sdk is not installed: run npm ci --prefix {interop} (test.sh does)");
                return interop;
            }
        }

        throw new InvalidOperationException("tests/interop not found in any ancestor of " + AppContext.BaseDirectory);
    }
}
