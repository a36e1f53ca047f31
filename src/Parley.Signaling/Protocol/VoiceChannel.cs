namespace Parley.Signaling.Protocol;

/// <summary>
/// A room's voice channel (docs/protocol.md, "Positional rooms"): <c>positional</c> with Vivox's 3D properties, or
/// <c>non-positional</c> (everyone hears everyone, the default). As a request every field is optional; as the server
/// sends it in <c>joined</c> every field is filled in. The server only stores and hands it out: the clients apply it.
/// </summary>
/// <param name="Type"><c>positional</c> or <c>non-positional</c>.</param>
/// <param name="AudibleDistance">Beyond it a speaker is not heard (Vivox's AudibleDistance, default 32).</param>
/// <param name="ConversationalDistance">Within it a speaker is heard at full volume (Vivox's ConversationalDistance, default 1).</param>
/// <param name="FadeIntensity">How steeply the voice fades past the conversational distance (Vivox's AudioFadeIntensityByDistance, default 1.0).</param>
/// <param name="FadeModel"><c>inverse</c> (default), <c>linear</c> or <c>exponential</c> (Vivox's AudioFadeModel, "...ByDistance").</param>
public sealed record VoiceChannel(
    string? Type,
    double? AudibleDistance = null,
    double? ConversationalDistance = null,
    double? FadeIntensity = null,
    string? FadeModel = null);
