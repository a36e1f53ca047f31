using Parley.Signaling.Rooms;

namespace Parley.Server.Tests.LiveKit;

/// <summary>Rooms and participants as the rooms hand them to <see cref="IRoomEvents"/>.</summary>
internal static class Snapshots
{
    public static readonly DateTimeOffset Created = new(2026, 5, 4, 10, 0, 0, 123, TimeSpan.Zero);

    public static RoomSnapshot Room(string name, int participants = 0, string metadata = "") =>
        new("RM_" + name.ToUpperInvariant().PadRight(12, 'X')[..12], name, participants, Created, metadata, 16, 300, false);

    public static ParticipantSnapshot Speaker(string id, string identity, string name, bool muted = false, bool serverMuted = false, bool away = false) =>
        new(id, identity, name, "{\"team\":\"blue\"}", Created.AddSeconds(5), new ParticipantPermissions(true, true, true, false, false, false), muted, serverMuted, away);

    public static ParticipantSnapshot Listener(string id, string identity, string name) =>
        new(id, identity, name, "", Created.AddSeconds(7), new ParticipantPermissions(false, true, false, false, false, false), true, false, false);
}
