using Parley.Signaling.Protocol;

namespace Parley.Signaling.Rooms;

/// <summary>One person in one room. Mutable state changes only under the room's lock.</summary>
public sealed class Participant(string id, string name, bool muted, IParticipantConnection connection)
{
    public string Id { get; } = id;

    public string Name { get; } = name;

    public bool Muted { get; internal set; } = muted;

    public bool Speaking { get; internal set; }

    public IParticipantConnection Connection { get; } = connection;

    public ParticipantInfo ToInfo() => new(Id, Name, Muted, Speaking);
}
