namespace Parley.Signaling.Access;

/// <summary>
/// Ends what a removed participant holds outside signaling: the host deletes its TURN allocations and refuses its TURN
/// credentials (docs/access.md, "Moderation").
/// </summary>
public interface IParticipantEviction
{
    void Evict(string participantId);
}

/// <summary>No embedded TURN server: nothing else to end.</summary>
public sealed class NoParticipantEviction : IParticipantEviction
{
    public void Evict(string participantId)
    {
    }
}
