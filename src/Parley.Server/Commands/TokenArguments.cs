namespace Parley.Server.Commands;

/// <summary>The token command's arguments; configuration keys (<c>--Auth:Keys:k=...</c>) are kept apart, in order.</summary>
internal sealed record TokenArguments(string Room, string Identity, string? DisplayName, bool Admin, TimeSpan Ttl, string? Key, IReadOnlyList<string> Configuration)
{
    /// <summary>False with one sentence naming the mistake: a missing or empty value, an unknown option, a bad TTL.</summary>
    public static bool TryParse(string[] args, out TokenArguments arguments, out string mistake)
    {
        arguments = null!;
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var admin = false;
        var configuration = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var argument = args[i];
            if (!argument.StartsWith("--", StringComparison.Ordinal))
            {
                mistake = $"unexpected argument '{argument}'";
                return false;
            }

            var equals = argument.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? argument[2..] : argument[2..equals];
            if (name == "admin" && equals < 0)
            {
                admin = true;
                continue;
            }

            string? value = equals >= 0 ? argument[(equals + 1)..] : i + 1 < args.Length ? args[++i] : null;
            if (name is "room" or "identity" or "name" or "ttl" or "key")
            {
                if (string.IsNullOrEmpty(value))
                {
                    mistake = $"--{name} needs a value";
                    return false;
                }

                values[name] = value;
            }
            else if (name.Contains(':', StringComparison.Ordinal) || string.Equals(name, "environment", StringComparison.OrdinalIgnoreCase))
            {
                // A configuration key, as the server takes them (--Auth:Keys:mykey=secret, --environment Development).
                configuration.Add(equals >= 0 ? argument : $"--{name}={value}");
            }
            else
            {
                mistake = $"unknown option --{name}";
                return false;
            }
        }

        if (!values.TryGetValue("room", out var room) || !values.TryGetValue("identity", out var identity))
        {
            mistake = "--room and --identity are required";
            return false;
        }

        var ttl = TokenTtl.Default;
        if (values.TryGetValue("ttl", out var ttlText) && !TokenTtl.TryParse(ttlText, out ttl))
        {
            mistake = $"--ttl {ttlText} is not a duration such as 30s, 5m, 1h or 1d, of at most 30d";
            return false;
        }

        arguments = new(room, identity, values.GetValueOrDefault("name"), admin, ttl, values.GetValueOrDefault("key"), configuration);
        mistake = "";
        return true;
    }
}
