using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Parley.Server.Hosting;

/// <summary>
/// Writes bound options as configuration keys, one <c>Section:Key = value</c> a line (lists numbered, dictionaries by
/// key), for <c>parley check-config</c>. A value under a key that names a secret (<c>Auth:Keys:*</c>, any
/// <c>*Secret*</c>, <c>*Password*</c>, an ICE server's <c>Credential</c>, <c>Redis:Configuration</c>) is never printed, only whether it is set.
/// </summary>
internal static class EffectiveConfiguration
{
    public const string Masked = "(set, masked)";

    [UnconditionalSuppressMessage("Trimming", "IL2072", Justification = "Reads Parley's options types, which the native build keeps whole (TrimmerRootAssembly in Parley.Server.csproj).")]
    public static void Write(TextWriter output, string path, object? value)
    {
        switch (value)
        {
            case null:
                output.WriteLine($"{path} = (none)");
                break;
            case bool flag:
                output.WriteLine(Line(path, flag ? "true" : "false"));
                break;
            case string or Uri or IFormattable:
                output.WriteLine(Line(path, value is IFormattable formattable ? formattable.ToString(null, CultureInfo.InvariantCulture) : value.ToString()));
                break;
            case IDictionary dictionary:
                foreach (DictionaryEntry entry in dictionary)
                {
                    Write(output, $"{path}:{entry.Key}", entry.Value);
                }

                break;
            case IEnumerable items:
                var index = 0;
                foreach (var item in items)
                {
                    Write(output, $"{path}:{index++}", item);
                }

                if (index == 0)
                {
                    output.WriteLine($"{path} = (none)");
                }

                break;
            default:
                foreach (var (key, property) in UnknownOptionKeys.Properties(value.GetType()))
                {
                    Write(output, $"{path}:{key}", property.GetValue(value));
                }

                break;
        }
    }

    /// <summary>One line, the value masked if the key names a secret.</summary>
    public static string Line(string path, string? value) =>
        $"{path} = {(value is null ? "(none)" : IsSecret(path) ? Masked : value)}";

    internal static bool IsSecret(string path)
    {
        var segments = path.Split(':');
        return segments.Any(segment => segment.Contains("secret", StringComparison.OrdinalIgnoreCase)
                || segment.Contains("password", StringComparison.OrdinalIgnoreCase)
                || string.Equals(segment, "Credential", StringComparison.OrdinalIgnoreCase))
            || string.Equals(path, "Redis:Configuration", StringComparison.OrdinalIgnoreCase) // may carry password=
            || (segments.Length >= 3 && string.Equals(segments[0], "Auth", StringComparison.OrdinalIgnoreCase) && string.Equals(segments[1], "Keys", StringComparison.OrdinalIgnoreCase));
    }
}
