using Parley.Signaling.Rooms;

namespace Parley.Scale.Admin;

/// <summary>
/// One admin API call (<see cref="IRoomAdministration"/>) carried to the node that serves its room: the method's name
/// and whichever arguments it takes.
/// </summary>
internal sealed record AdminCall(
    string Method,
    string? Room = null,
    string? Identity = null,
    IReadOnlyList<string>? Names = null,
    int? EmptyTimeoutSeconds = null,
    int? MaxParticipants = null,
    string? Metadata = null,
    string? Name = null,
    bool? Muted = null,
    double? BanSeconds = null,
    PermissionUpdate? Permission = null,
    byte[]? Payload = null,
    IReadOnlyList<string>? DestinationIdentities = null,
    string? Topic = null);

/// <summary>What the serving node answered: the status, and the snapshots the method returns.</summary>
internal sealed record AdminAnswer(
    AdminStatus Status,
    string? Message = null,
    RoomSnapshot? Room = null,
    IReadOnlyList<RoomSnapshot>? Rooms = null,
    ParticipantSnapshot? Participant = null,
    IReadOnlyList<ParticipantSnapshot>? Participants = null);
