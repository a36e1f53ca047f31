using System.Text.Json.Serialization;

namespace Parley.Compat.LiveKit.LiveKitJson;

/// <summary>
/// LiveKit's <c>Room</c> message (livekit/protocol <c>livekit_models.proto</c>) as protojson writes it: lowerCamel
/// names, int64 fields as strings. Parley fills the fields its rooms have; LiveKit SDKs ignore none of them.
/// </summary>
internal sealed class LkRoom
{
    /// <summary>"RM_" and 12 characters, stable for the room's life.</summary>
    public required string Sid { get; init; }

    public required string Name { get; init; }

    /// <summary>Seconds an empty room stays open (uint32).</summary>
    public int EmptyTimeout { get; init; }

    /// <summary>uint32; 0 in LiveKit means no limit, Parley always has one.</summary>
    public int MaxParticipants { get; init; }

    /// <summary>Unix seconds (int64, a string in protojson).</summary>
    [JsonNumberHandling(JsonNumberHandling.WriteAsString | JsonNumberHandling.AllowReadingFromString)]
    public long CreationTime { get; init; }

    /// <summary>Unix milliseconds (int64, a string in protojson).</summary>
    [JsonNumberHandling(JsonNumberHandling.WriteAsString | JsonNumberHandling.AllowReadingFromString)]
    public long CreationTimeMs { get; init; }

    public string Metadata { get; init; } = "";

    public int NumParticipants { get; init; }
}
