using System.Globalization;

namespace Parley.Server.Commands;

/// <summary>The <c>--ttl</c> of the token command: a whole number and a unit, <c>30s</c>, <c>5m</c>, <c>1h</c>, <c>1d</c>.</summary>
internal static class TokenTtl
{
    /// <summary>As LiveKit's server SDKs default to.</summary>
    public static readonly TimeSpan Default = TimeSpan.FromHours(6);

    /// <summary>A longer-lived token is a standing password; mint another instead.</summary>
    public static readonly TimeSpan Max = TimeSpan.FromDays(30);

    public static bool TryParse(string text, out TimeSpan ttl)
    {
        ttl = default;
        if (text.Length < 2
            || !long.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            || count == 0 || count > (long)Max.TotalSeconds)
        {
            return false;
        }

        ttl = text[^1] switch
        {
            's' => TimeSpan.FromSeconds(count),
            'm' => TimeSpan.FromMinutes(count),
            'h' => TimeSpan.FromHours(count),
            'd' => TimeSpan.FromDays(count),
            _ => TimeSpan.Zero,
        };
        return ttl > TimeSpan.Zero && ttl <= Max;
    }
}
