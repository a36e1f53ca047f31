namespace Parley.Access;

/// <summary>
/// The <c>video</c> claim as LiveKit writes it (camelCase JSON, livekit/protocol <c>auth/grants.go</c>): every field
/// optional, so that an absent one keeps <see cref="VideoGrant"/>'s default. Fields Parley does not use
/// (<c>roomRecord</c>, <c>recorder</c>, <c>agent</c>, ...) are ignored on reading.
/// </summary>
internal sealed class VideoClaim
{
    public bool? RoomJoin { get; set; }

    public string? Room { get; set; }

    public bool? RoomCreate { get; set; }

    public bool? RoomList { get; set; }

    public bool? RoomAdmin { get; set; }

    public bool? CanPublish { get; set; }

    public bool? CanSubscribe { get; set; }

    public bool? CanPublishData { get; set; }

    public List<string?>? CanPublishSources { get; set; }

    public bool? Hidden { get; set; }

    public bool? CanUpdateOwnMetadata { get; set; }

    public VideoGrant ToGrant() => new()
    {
        RoomJoin = RoomJoin ?? false,
        Room = Room,
        RoomCreate = RoomCreate ?? false,
        RoomList = RoomList ?? false,
        RoomAdmin = RoomAdmin ?? false,
        CanPublish = CanPublish,
        CanSubscribe = CanSubscribe,
        CanPublishData = CanPublishData,
        // LiveKit's server reads the names in any case (TrackSource_value[strings.ToUpper(s)]); Parley compares lower case.
        CanPublishSources = CanPublishSources?.OfType<string>().Select(source => source.ToLowerInvariant()).ToArray(),
        Hidden = Hidden ?? false,
        CanUpdateOwnMetadata = CanUpdateOwnMetadata ?? false,
    };

    /// <summary>The claim for a grant: permissions not granted are left out, as LiveKit's SDKs leave unset fields out.</summary>
    public static VideoClaim From(VideoGrant grant) => new()
    {
        RoomJoin = grant.RoomJoin ? true : null,
        Room = grant.Room,
        RoomCreate = grant.RoomCreate ? true : null,
        RoomList = grant.RoomList ? true : null,
        RoomAdmin = grant.RoomAdmin ? true : null,
        CanPublish = grant.CanPublish,
        CanSubscribe = grant.CanSubscribe,
        CanPublishData = grant.CanPublishData,
        CanPublishSources = grant.CanPublishSources is { } sources ? [.. sources] : null,
        Hidden = grant.Hidden ? true : null,
        CanUpdateOwnMetadata = grant.CanUpdateOwnMetadata ? true : null,
    };
}
