using System.Text.Json;

namespace Parley.Signaling.Protocol;

/// <summary>
/// Checks a requested <see cref="VoiceChannel"/> (<c>join.channel</c>, <c>resume.channel</c> or a token's
/// <c>parley.channel</c> claim) and fills in Vivox's defaults. Bad input is <c>invalid-channel</c>, never an exception.
/// </summary>
public static class VoiceChannelRules
{
    public const string Positional = "positional";
    public const string NonPositional = "non-positional";

    /// <summary>Vivox's defaults (Channel3DProperties' default constructor): 32, 1, 1.0, inverse by distance.</summary>
    public const double DefaultAudibleDistance = 32;
    public const double DefaultConversationalDistance = 1;
    public const double DefaultFadeIntensity = 1.0;
    public const string DefaultFadeModel = "inverse";

    /// <summary>Distances are in the app's own units; this bound only keeps numbers sane (and finite in every browser).</summary>
    public const double MaxDistance = 1_000_000;

    /// <summary>An intensity of 100 already silences a voice within a hair of the conversational distance.</summary>
    public const double MaxFadeIntensity = 100;

    private static readonly string[] FadeModels = ["inverse", "linear", "exponential"];

    /// <summary>
    /// Normalises <paramref name="requested"/>: null or <c>non-positional</c> gives null (a plain room); <c>positional</c>
    /// gives every field, defaults filled in. Fails with <see cref="ErrorCode.InvalidChannel"/>.
    /// </summary>
    public static bool TryNormalize(VoiceChannel? requested, out VoiceChannel? channel, out ProtocolError error)
    {
        channel = null;
        error = default;
        if (requested is null || requested.Type == NonPositional)
        {
            return true;
        }

        if (requested.Type != Positional)
        {
            return Fail($"channel.type must be '{Positional}' or '{NonPositional}'.", out error);
        }

        var audible = requested.AudibleDistance ?? DefaultAudibleDistance;
        var conversational = requested.ConversationalDistance ?? DefaultConversationalDistance;
        var intensity = requested.FadeIntensity ?? DefaultFadeIntensity;
        var model = requested.FadeModel ?? DefaultFadeModel;
        if (!(audible > 0 && audible <= MaxDistance))
        {
            return Fail($"channel.audibleDistance must be above 0 and at most {MaxDistance}.", out error);
        }

        // Above 0, unlike Vivox's >= 0: all three fade formulas divide by it (WebAudio's refDistance).
        if (!(conversational > 0 && conversational <= audible))
        {
            return Fail("channel.conversationalDistance must be above 0 and at most audibleDistance.", out error);
        }

        if (!(intensity >= 0 && intensity <= MaxFadeIntensity))
        {
            return Fail($"channel.fadeIntensity must be between 0 and {MaxFadeIntensity}.", out error);
        }

        if (Array.IndexOf(FadeModels, model) < 0)
        {
            return Fail("channel.fadeModel must be 'inverse', 'linear' or 'exponential'.", out error);
        }

        channel = new VoiceChannel(Positional, audible, conversational, intensity, model);
        return true;
    }

    /// <summary>The same for raw JSON (a token's claim): anything that is not a channel object is <c>invalid-channel</c>.</summary>
    public static bool TryNormalize(JsonElement? requested, out VoiceChannel? channel, out ProtocolError error)
    {
        channel = null;
        if (requested is not { } element || element.ValueKind == JsonValueKind.Null)
        {
            error = default;
            return true;
        }

        VoiceChannel? parsed;
        try
        {
            parsed = element.ValueKind == JsonValueKind.Object ? element.Deserialize(SignalingJsonContext.Default.VoiceChannel) : null;
        }
        catch (JsonException)
        {
            parsed = null;
        }

        return parsed is null
            ? Fail("The token's parley.channel is not a channel object.", out error)
            : TryNormalize(parsed, out channel, out error);
    }

    private static bool Fail(string message, out ProtocolError error)
    {
        error = new ProtocolError(ErrorCode.InvalidChannel, message);
        return false;
    }
}
