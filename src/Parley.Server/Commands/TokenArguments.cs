using System.CommandLine;
using System.Text.Json;
using Parley.Signaling.Protocol;

namespace Parley.Server.Commands;

/// <summary>The token command's arguments; configuration keys (<c>--Auth:Keys:k=...</c>) are kept apart, in order.</summary>
internal sealed record TokenArguments(string Room, string Identity, string? DisplayName, bool Admin, TimeSpan Ttl, string? Key, IReadOnlyList<string> Configuration,
    JsonElement? Channel = null)
{
    /// <summary>The command's options, made anew for each command line parsed.</summary>
    public sealed class Symbols
    {
        public Option<string> Room { get; } = new("--room") { Description = "The room the token lets its holder join. Required." };

        public Option<string> Identity { get; } = new("--identity") { Description = "The participant's identity (the token's sub). Required." };

        public Option<string> Name { get; } = new("--name") { Description = "The display name." };

        public Option<bool> Admin { get; } = new("--admin") { Description = "Adds roomAdmin, roomList and roomCreate for the room." };

        public Option<string> Ttl { get; } = new("--ttl") { Description = "How long the token is valid: 30s, 5m, 1h, 1d; defaults to 6h, at most 30d." };

        public Option<string> Key { get; } = new("--key") { Description = "The API key of Auth:Keys to sign with; defaults to the first, by name." };

        public Option<string> Channel { get; } = new("--channel")
        {
            Description = "The parley.channel claim, as JSON: the voice channel of the room when this token's holder opens it, e.g. {\"type\":\"positional\",\"audibleDistance\":40}.",
        };

        public IEnumerable<Option> All => [Room, Identity, Name, Admin, Ttl, Key, Channel];
    }

    /// <summary>False with one sentence naming the mistake: a missing or empty value, an unknown option, a bad TTL.</summary>
    public static bool TryParse(ParseResult result, Symbols symbols, out TokenArguments arguments, out string mistake)
    {
        arguments = null!;
        // A configuration key, as the server takes them (--Auth:Keys:mykey=secret, --environment Development).
        if (!ParleyCommands.TryTakeConfiguration(result.UnmatchedTokens, IsConfigurationKey, out var configuration, out mistake))
        {
            return false;
        }

        foreach (var option in new[] { symbols.Room, symbols.Identity, symbols.Name, symbols.Ttl, symbols.Key, symbols.Channel })
        {
            if (result.GetResult(option) is not null && string.IsNullOrEmpty(result.GetValue(option)))
            {
                mistake = $"{option.Name} needs a value";
                return false;
            }
        }

        if (result.GetValue(symbols.Room) is not { } room || result.GetValue(symbols.Identity) is not { } identity)
        {
            mistake = "--room and --identity are required";
            return false;
        }

        var ttl = TokenTtl.Default;
        if (result.GetValue(symbols.Ttl) is { } ttlText && !TokenTtl.TryParse(ttlText, out ttl))
        {
            mistake = $"--ttl {ttlText} is not a duration such as 30s, 5m, 1h or 1d, of at most 30d";
            return false;
        }

        JsonElement? channel = null;
        if (result.GetValue(symbols.Channel) is { } channelText && !TryReadChannel(channelText, out channel, out mistake))
        {
            return false;
        }

        arguments = new(room, identity, result.GetValue(symbols.Name), result.GetValue(symbols.Admin), ttl, result.GetValue(symbols.Key), configuration, channel);
        mistake = "";
        return true;
    }

    /// <summary>The same checks a join makes of the claim (<see cref="VoiceChannelRules"/>), so no token is minted that a join would refuse.</summary>
    private static bool TryReadChannel(string text, out JsonElement? channel, out string mistake)
    {
        channel = null;
        mistake = "";
        try
        {
            using var document = JsonDocument.Parse(text);
            channel = document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            mistake = $"--channel is not JSON: {ex.Message}";
            return false;
        }

        if (channel.Value.ValueKind != JsonValueKind.Object)
        {
            mistake = "--channel must be a JSON object such as {\"type\":\"positional\"}";
            return false;
        }

        if (!VoiceChannelRules.TryNormalize(channel, out _, out var error))
        {
            mistake = $"--channel: {error.Message}";
            return false;
        }

        return true;
    }

    private static bool IsConfigurationKey(string name) =>
        name.Contains(':', StringComparison.Ordinal) || string.Equals(name, "environment", StringComparison.OrdinalIgnoreCase);
}
