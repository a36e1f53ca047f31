namespace Parley.Stun.Tests;

/// <summary>
/// Reads ../shared/test-vectors/stun.txt (beside the repository root) at test time: "## heading" lines name a
/// vector, "#" lines are comments, and the hex line after a heading is the message.
/// </summary>
public static class TestVectors
{
    private static readonly Lazy<IReadOnlyDictionary<string, byte[]>> All = new(Load);

    public static byte[] Get(string headingPrefix)
    {
        foreach ((string heading, byte[] bytes) in All.Value)
        {
            if (heading.StartsWith(headingPrefix, StringComparison.Ordinal))
            {
                return bytes;
            }
        }

        throw new KeyNotFoundException($"No vector whose heading starts with '{headingPrefix}' in {FindFile()}.");
    }

    public static IReadOnlyDictionary<string, byte[]> Vectors => All.Value;

    public static string FindFile()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "shared", "test-vectors", "stun.txt");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException(
            "shared/test-vectors/stun.txt not found in any ancestor of " + AppContext.BaseDirectory +
            " (the repository expects shared/ beside its root).");
    }

    private static Dictionary<string, byte[]> Load()
    {
        var vectors = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        string? heading = null;
        foreach (string rawLine in File.ReadAllLines(FindFile()))
        {
            string line = rawLine.Trim();
            if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                heading = line[3..];
            }
            else if (line.Length > 0 && !line.StartsWith('#') && heading is not null)
            {
                vectors.Add(heading, Convert.FromHexString(line));
                heading = null;
            }
        }

        return vectors;
    }
}
