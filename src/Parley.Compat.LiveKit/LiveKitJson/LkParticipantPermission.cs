namespace Parley.Compat.LiveKit.LiveKitJson;

/// <summary>LiveKit's <c>ParticipantPermission</c> (livekit/protocol <c>livekit_models.proto</c>).</summary>
internal sealed class LkParticipantPermission
{
    public bool CanSubscribe { get; init; }

    public bool CanPublish { get; init; }

    public bool CanPublishData { get; init; }

    public bool Hidden { get; init; }

    public bool CanUpdateMetadata { get; init; }
}
