using Microsoft.Extensions.Options;
using Parley.Access;

namespace Parley.Compat.LiveKit.Webhooks;

/// <summary>
/// What the data annotations of <see cref="WebhookOptions"/> cannot say: each URL is absolute http or https, and the
/// signing key is one of <c>Auth:Keys</c> (so webhooks need token mode). One line per problem, naming the option.
/// </summary>
internal sealed class WebhookOptionsValidator(IOptions<AuthOptions> auth) : IValidateOptions<WebhookOptions>
{
    public ValidateOptionsResult Validate(string? name, WebhookOptions options)
    {
        var problems = new List<string>();
        for (var i = 0; i < options.Urls.Count; i++)
        {
            if (!IsHttpUrl(options.Urls[i]))
            {
                problems.Add($"{WebhookOptions.SectionName}:{nameof(WebhookOptions.Urls)}:{i} must be an absolute http or https URL (http://host/path).");
            }
        }

        if (options.Urls.Count > 0 && SigningProblem(options.ApiKey) is { } signing)
        {
            problems.Add(signing);
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    public static bool IsHttpUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    private string? SigningProblem(string? apiKey)
    {
        AuthOptions keys;
        try
        {
            keys = auth.Value;
        }
        catch (OptionsValidationException)
        {
            return null; // the Auth section's own check says what is wrong with it
        }

        const string ApiKeyOption = $"{WebhookOptions.SectionName}:{nameof(WebhookOptions.ApiKey)}";
        if (!keys.TokenMode)
        {
            return $"{WebhookOptions.SectionName}:{nameof(WebhookOptions.Urls)} is set, but there are no Auth:Keys (open mode): webhooks are signed with an API key's secret, so they need token mode (docs/access.md).";
        }

        if (string.IsNullOrEmpty(apiKey))
        {
            return $"{ApiKeyOption} is required when {WebhookOptions.SectionName}:{nameof(WebhookOptions.Urls)} is set: the Auth:Keys key whose secret signs the webhooks ({string.Join(", ", keys.Keys.Keys)}).";
        }

        return keys.Keys.ContainsKey(apiKey)
            ? null
            : $"{ApiKeyOption} '{apiKey}' is not one of the Auth:Keys ({string.Join(", ", keys.Keys.Keys)}).";
    }
}
