namespace Parley.Server.Hosting;

/// <summary>The valid name a mistyped one was most likely meant to be, for "did you mean" hints.</summary>
internal static class NearestName
{
    /// <summary>
    /// The candidate at the smallest edit distance (Levenshtein, ignoring case) from <paramref name="name"/>, the
    /// first listed on a tie; null when even that one differs in more than two characters or a third of the name,
    /// where a hint would be a guess (SharedSecret finds SharedSecrets, Secret finds nothing).
    /// </summary>
    public static string? Find(string name, IEnumerable<string> candidates)
    {
        string? nearest = null;
        var best = Math.Max(2, name.Length / 3) + 1;
        foreach (var candidate in candidates)
        {
            var distance = Distance(name, candidate);
            if (distance < best)
            {
                (nearest, best) = (candidate, distance);
            }
        }

        return nearest;
    }

    internal static int Distance(string a, string b)
    {
        // Two rows of the classic dynamic programme: previous[j] is the distance between a[..i-1] and b[..j].
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = char.ToUpperInvariant(a[i - 1]) == char.ToUpperInvariant(b[j - 1]) ? 0 : 1;
                current[j] = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + substitution);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
