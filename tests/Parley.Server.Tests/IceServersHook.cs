using Parley.Signaling;
using Parley.Signaling.Protocol;

namespace Parley.Server.Tests;

/// <summary>
/// An ICE server provider that runs an action each time a join or resume asks it for servers: a seam in the
/// middle of a join, after the session has decided to enter a room and before the room has it.
/// </summary>
internal sealed class IceServersHook(Action onFetch) : IIceServerProvider
{
    public IReadOnlyList<IceServer> GetIceServers(string participantId, string? requestHost)
    {
        onFetch();
        return [];
    }
}
