namespace Parley.Compat.LiveKit.LiveKitJson;

/// <summary>
/// LiveKit's <c>TrackInfo</c> (livekit/protocol <c>livekit_models.proto</c>): here always a participant's microphone,
/// whose sid is stable for the participant's life so that <c>MutePublishedTrack</c> can name it.
/// </summary>
internal sealed class LkTrackInfo
{
    /// <summary>"TR_" and the participant id without its "p_".</summary>
    public required string Sid { get; init; }

    /// <summary>An enum name of <c>TrackType</c>.</summary>
    public string Type { get; init; } = "AUDIO";

    public string Name { get; init; } = "microphone";

    public bool Muted { get; init; }

    /// <summary>An enum name of <c>TrackSource</c>.</summary>
    public string Source { get; init; } = "MICROPHONE";
}
