using System.Text.Json.Serialization;

namespace Parley.Access;

/// <summary>
/// The <c>video</c> claim of a LiveKit access token: what its holder may do. Defaults as LiveKit's: publishing and
/// subscribing are allowed unless denied; everything else must be granted.
/// </summary>
public sealed record VideoGrant
{
    public bool RoomJoin { get; init; }

    /// <summary>The only room the token admits to, and the room <see cref="RoomAdmin"/> applies to.</summary>
    public string? Room { get; init; }

    public bool RoomCreate { get; init; }

    public bool RoomList { get; init; }

    public bool RoomAdmin { get; init; }

    public bool? CanPublish { get; init; }

    public bool? CanSubscribe { get; init; }

    /// <summary>Chat and data; defaults to <see cref="CanPublish"/>.</summary>
    public bool? CanPublishData { get; init; }

    /// <summary>When present, the sources that may be published (lower case); audio needs <c>microphone</c>.</summary>
    public IReadOnlyList<string>? CanPublishSources { get; init; }

    /// <summary>Invisible to the room: in nobody's list, never announced; may not publish.</summary>
    public bool Hidden { get; init; }

    public bool CanUpdateOwnMetadata { get; init; }

    /// <summary>Whether the holder may send its microphone.</summary>
    [JsonIgnore]
    public bool CanPublishAudio =>
        !Hidden && (CanPublishSources is { } sources ? sources.Contains("microphone", StringComparer.Ordinal) : CanPublish ?? true);

    [JsonIgnore]
    public bool CanSubscribeAudio => CanSubscribe ?? true;

    [JsonIgnore]
    public bool CanPublishChat => CanPublishData ?? CanPublish ?? true;

    /// <summary>roomAdmin counts only for the room the token names (LiveKit's rule).</summary>
    public bool IsAdminOf(string room) => RoomAdmin && string.Equals(Room, room, StringComparison.OrdinalIgnoreCase);
}
