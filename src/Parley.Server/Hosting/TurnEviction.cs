using Parley.Access;
using Parley.Signaling.Access;
using Parley.Turn;

namespace Parley.Server.Hosting;

/// <summary>A participant removed from its room loses the embedded TURN relay too: its allocations are deleted at once.</summary>
internal sealed class TurnEviction(TurnUsers turn) : IParticipantEviction
{
    public void Evict(string participantId) => turn.Disconnect(participantId);
}

/// <summary>
/// A removed participant's TURN credentials (named by participant id, valid until they expire) are refused from the
/// removal on. Separate from <see cref="TurnEviction"/>: the TURN server needs this one to be built.
/// </summary>
internal sealed class RemovedTurnUsers(AccessRevocations revocations) : ITurnUserRevocations
{
    public bool IsRevoked(string user) => revocations.IsParticipantRevoked(user);
}

internal static class TurnEvictionRegistration
{
    /// <summary>Removals reach the embedded TURN server (docs/access.md, "Moderation").</summary>
    public static IServiceCollection AddParleyTurnEviction(this IServiceCollection services)
    {
        services.AddSingleton<IParticipantEviction, TurnEviction>();
        services.AddSingleton<ITurnUserRevocations, RemovedTurnUsers>();
        return services;
    }
}
