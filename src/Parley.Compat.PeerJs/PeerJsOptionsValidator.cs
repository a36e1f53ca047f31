using Microsoft.Extensions.Options;
using Parley.Compat.PeerJs.Protocol;

namespace Parley.Compat.PeerJs;

/// <summary>
/// What the data annotations of <see cref="PeerJsOptions"/> cannot say: the path is a plain absolute path, and the key
/// survives the client's URLs unescaped (it puts it in a path segment and a query string as is). One line per problem.
/// </summary>
internal sealed class PeerJsOptionsValidator : IValidateOptions<PeerJsOptions>
{
    public ValidateOptionsResult Validate(string? name, PeerJsOptions options)
    {
        var problems = new List<string>();
        if (!IsPlainPath(options.Path))
        {
            problems.Add($"{PeerJsOptions.SectionName}:{nameof(PeerJsOptions.Path)} must start with / and hold only letters, digits, -, _, . and inner /, e.g. /peerjs (it is '{options.Path}').");
        }

        if (!PeerJsIds.IsValidKey(options.Key))
        {
            problems.Add($"{PeerJsOptions.SectionName}:{nameof(PeerJsOptions.Key)} must be 1 to {PeerJsIds.MaxKeyLength} letters, digits, - or _ (the client puts it in URLs unescaped).");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static bool IsPlainPath(string? path) =>
        path is { Length: > 1 and <= 128 } && path[0] == '/' && path[^1] != '/' && !path.Contains("//", StringComparison.Ordinal)
        && path.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '-' or '_' or '.');
}
