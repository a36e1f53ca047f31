using Microsoft.Extensions.Options;
using Parley.Signaling.Protocol;

namespace Parley.Signaling;

/// <summary>
/// The ICE servers handed to a participant in <c>joined</c>. Per participant, so that a TURN server can
/// issue each one its own time-limited credentials.
/// </summary>
public interface IIceServerProvider
{
    /// <param name="participantId">Who the servers are for.</param>
    /// <param name="requestHost">
    /// The host name the participant's browser used to reach this server (the HTTP Host of its WebSocket),
    /// so an embedded STUN/TURN server can be named the same way; null if unknown.
    /// </param>
    IReadOnlyList<IceServer> GetIceServers(string participantId, string? requestHost);
}

/// <summary>The ICE servers listed in <see cref="SignalingOptions.IceServers"/>, the same for everyone.</summary>
public sealed class ConfiguredIceServerProvider(IOptions<SignalingOptions> options) : IIceServerProvider
{
    private readonly IceServer[] servers = [.. options.Value.IceServers.Select(server => new IceServer([.. server.Urls], server.Username, server.Credential))];

    public IReadOnlyList<IceServer> GetIceServers(string participantId, string? requestHost) => servers;
}
