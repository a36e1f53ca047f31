namespace Parley.Bench.Signaling;

/// <summary>Makes the links of one pool of participants and owns what they share (an HTTP connection pool).</summary>
internal interface IParticipantLinks : IDisposable
{
    IParticipantLink Create(Participant participant);
}
