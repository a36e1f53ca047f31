using Parley.Access;
using Parley.Signaling.Access;
using Parley.Turn;

namespace Parley.Server.Hosting;

/// <summary>
/// A participant removed from its room loses the embedded TURN relay too: its allocations are deleted at once, and its
/// credentials (named by participant id, valid until they expire) are refused from then on.
/// </summary>
internal sealed class TurnEviction(AccessRevocations revocations, TurnUsers turn) : IParticipantEviction, ITurnUserRevocations
{
    public void Evict(string participantId) => turn.Disconnect(participantId);

    public bool IsRevoked(string user) => revocations.IsParticipantRevoked(user);
}

internal static class TurnEvictionRegistration
{
    /// <summary>Removals reach the embedded TURN server (docs/access.md, "Moderation").</summary>
    public static IServiceCollection AddParleyTurnEviction(this IServiceCollection services)
    {
        services.AddSingleton<TurnEviction>();
        services.AddSingleton<IParticipantEviction>(provider => provider.GetRequiredService<TurnEviction>());
        services.AddSingleton<ITurnUserRevocations>(provider => provider.GetRequiredService<TurnEviction>());
        return services;
    }
}
