using System.Text.Json.Serialization;

namespace Parley.Compat.LiveKit.LiveKitJson;

/// <summary>
/// LiveKit's <c>ParticipantInfo</c> (livekit/protocol <c>livekit_models.proto</c>) as protojson writes it. A Parley
/// participant publishes at most one track, its microphone (<see cref="LkTrackInfo"/>).
/// </summary>
internal sealed class LkParticipantInfo
{
    public const string Active = "ACTIVE";

    /// <summary>Away (connection lost, may still resume), or gone (in <c>participant_left</c>).</summary>
    public const string Disconnected = "DISCONNECTED";

    /// <summary>The Parley participant id (<c>p_...</c>).</summary>
    public required string Sid { get; init; }

    public required string Identity { get; init; }

    /// <summary>An enum name of <c>ParticipantInfo.State</c>: <see cref="Active"/> or <see cref="Disconnected"/>.</summary>
    public required string State { get; init; }

    public required IReadOnlyList<LkTrackInfo> Tracks { get; init; }

    public string Metadata { get; init; } = "";

    /// <summary>Unix seconds (int64, a string in protojson).</summary>
    [JsonNumberHandling(JsonNumberHandling.WriteAsString | JsonNumberHandling.AllowReadingFromString)]
    public long JoinedAt { get; init; }

    /// <summary>Unix milliseconds (int64, a string in protojson).</summary>
    [JsonNumberHandling(JsonNumberHandling.WriteAsString | JsonNumberHandling.AllowReadingFromString)]
    public long JoinedAtMs { get; init; }

    public string Name { get; init; } = "";

    public required LkParticipantPermission Permission { get; init; }

    /// <summary>True when it may publish its microphone (it then has its track).</summary>
    public bool IsPublisher { get; init; }

    /// <summary>
    /// An enum name of LiveKit's <c>DisconnectReason</c>, only in <c>participant_left</c>: why it left
    /// (<see cref="LiveKitMapper.DisconnectReason"/>).
    /// </summary>
    public string? DisconnectReason { get; init; }
}
