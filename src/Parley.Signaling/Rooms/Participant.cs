using Parley.Signaling.Protocol;

namespace Parley.Signaling.Rooms;

/// <summary>
/// One person in one room. Mutable state changes only under the room's lock. While its connection is lost
/// and it may still resume, <see cref="Connection"/> is null and <see cref="GraceTimer"/> runs.
/// </summary>
public sealed class Participant(string resumeToken, string name, bool muted, IParticipantConnection connection)
{
    /// <summary>Derived from <see cref="ResumeToken"/>, so the same token always means the same participant.</summary>
    public string Id { get; } = ParticipantId.FromResumeToken(resumeToken);

    /// <summary>The secret this participant resumes with; sent only to its own connection.</summary>
    public string ResumeToken { get; } = resumeToken;

    public string Name { get; } = name;

    public bool Muted { get; internal set; } = muted;

    public bool Speaking { get; internal set; }

    /// <summary>Where its messages go; null while it is away (docs/protocol.md, "Leaving, losing the connection, and resuming").</summary>
    public IParticipantConnection? Connection { get; internal set; } = connection;

    /// <summary>Ends the grace period of an away participant.</summary>
    internal ITimer? GraceTimer { get; set; }

    /// <summary>
    /// Away because its socket dropped without a close frame (a crash, a killed browser), not because its client
    /// closed it to reconnect or went silent: a room mate's <c>peer-lost</c> then confirms it is gone.
    /// </summary>
    internal bool Dropped { get; set; }

    public ParticipantInfo ToInfo() => new(Id, Name, Muted, Speaking);

    /// <summary>Queues a message if the participant is connected; one that is away misses it.</summary>
    internal void Deliver(byte[] utf8Json) => Connection?.TrySend(utf8Json);
}
