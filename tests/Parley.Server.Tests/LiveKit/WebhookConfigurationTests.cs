namespace Parley.Server.Tests.LiveKit;

/// <summary>
/// The <c>Webhooks</c> section's mistakes stop the start with one line each, through the configuration check (here
/// thrown, as the check does when a test hosts the app; the real process writes the same lines and exits with 78).
/// </summary>
public sealed class WebhookConfigurationTests
{
    private const string Key = "parley-hooks";
    private const string Secret = "0123456789abcdef0123456789abcdef-hooks";

    [Fact]
    public void Webhooks_in_open_mode_are_refused_saying_they_need_token_mode() =>
        AssertRefused(new() { ["Webhooks:Urls:0"] = "https://app.example.org/livekit" },
            "Webhooks:Urls is set, but there are no Auth:Keys (open mode): webhooks are signed with an API key's secret, so they need token mode (docs/access.md).");

    [Fact]
    public void Webhooks_without_an_ApiKey_are_refused_naming_the_keys_to_choose_from() =>
        AssertRefused(new() { [$"Auth:Keys:{Key}"] = Secret, ["Webhooks:Urls:0"] = "https://app.example.org/livekit" },
            "Webhooks:ApiKey is required when Webhooks:Urls is set: the Auth:Keys key whose secret signs the webhooks (parley-hooks).");

    [Fact]
    public void An_ApiKey_that_is_not_configured_is_refused() =>
        AssertRefused(new() { [$"Auth:Keys:{Key}"] = Secret, ["Webhooks:Urls:0"] = "https://app.example.org/livekit", ["Webhooks:ApiKey"] = "parley-hook" },
            "Webhooks:ApiKey 'parley-hook' is not one of the Auth:Keys (parley-hooks).");

    [Fact]
    public void A_url_that_is_not_absolute_http_and_bounds_out_of_range_are_one_line_each() =>
        AssertRefused(new()
        {
            [$"Auth:Keys:{Key}"] = Secret,
            ["Webhooks:ApiKey"] = Key,
            ["Webhooks:Urls:0"] = "https://app.example.org/livekit",
            ["Webhooks:Urls:1"] = "ftp://app.example.org/livekit",
            ["Webhooks:Urls:2"] = "/livekit",
            ["Webhooks:MaxAttempts"] = "0",
            ["Webhooks:MaxQueuedPerUrl"] = "0",
        },
            "The field Webhooks:MaxAttempts must be between 1 and 20.",
            "The field Webhooks:MaxQueuedPerUrl must be between 1 and 100000.",
            "Webhooks:Urls:1 must be an absolute http or https URL (http://host/path).",
            "Webhooks:Urls:2 must be an absolute http or https URL (http://host/path).");

    [Fact]
    public void Valid_webhook_options_start()
    {
        using var server = new ParleyServer(new()
        {
            [$"Auth:Keys:{Key}"] = Secret,
            ["Webhooks:ApiKey"] = Key,
            ["Webhooks:Urls:0"] = "http://127.0.0.1:9/livekit",
            ["Webhooks:MaxAttempts"] = "1",
            ["Webhooks:MaxAgeSeconds"] = "3600",
            ["Webhooks:MaxQueuedPerUrl"] = "100000",
            ["Webhooks:TimeoutSeconds"] = "300",
        });
    }

    private static void AssertRefused(Dictionary<string, string?> settings, params string[] expected)
    {
        var error = Assert.ThrowsAny<Exception>(() => new ParleyServer(settings).Dispose());
        Assert.Equal(expected, error.Message.Split(Environment.NewLine));
    }
}
