using System.Text.RegularExpressions;

namespace Parley.Server.Tests.Operations;

/// <summary>
/// The option tables of docs/configuration.md: each row's keys (under a heading "(`Section:` section)" a key is relative
/// to it; several keys may share a row, and a list's <c>:0</c> or a dictionary's <c>:&lt;name&gt;</c> stands for the
/// option itself) and the text of its default column.
/// </summary>
internal static partial class ConfigurationTables
{
    public static Dictionary<string, string> Defaults(string markdown)
    {
        var defaults = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var section = "";
        foreach (var line in markdown.Split('\n'))
        {
            if (line.StartsWith('#'))
            {
                var heading = SectionHeading().Match(line);
                section = heading.Success ? heading.Groups[1].Value : line.StartsWith("## ", StringComparison.Ordinal) ? "" : section;
                continue;
            }

            var row = Row().Match(line);
            if (!row.Success)
            {
                continue;
            }

            foreach (Match name in Code().Matches(row.Groups["keys"].Value))
            {
                var key = name.Groups[1].Value;
                if (key.StartsWith(':') || key.StartsWith('-'))
                {
                    continue; // ":1" continues a list named before it; "--urls" is the command line's spelling
                }

                var segments = key.Split(':').Where(segment => !segment.All(char.IsAsciiDigit) && !segment.StartsWith('<'));
                var full = string.Join(':', segments);
                if (section.Length > 0 && !full.StartsWith(section, StringComparison.OrdinalIgnoreCase))
                {
                    full = section + full;
                }

                defaults.TryAdd(full, row.Groups["default"].Value.Trim());
            }
        }

        return defaults;
    }

    [GeneratedRegex(@"\(`([A-Za-z:]+:)` section\)")]
    private static partial Regex SectionHeading();

    [GeneratedRegex(@"^\|(?<keys>[^|]*)\|(?<default>[^|]*)\|")]
    private static partial Regex Row();

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex Code();
}
