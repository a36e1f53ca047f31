using System.Net;

namespace Parley.Signaling.Sessions;

/// <summary>Where a signaling connection came from, read from its HTTP request.</summary>
/// <param name="RequestHost">The host name the client used to reach this server (for naming STUN/TURN the same way).</param>
/// <param name="RemoteAddress">The client's address, for open mode's join limit.</param>
/// <param name="AccessToken">
/// The <c>access_token</c> query parameter (token mode; browsers cannot set headers on a WebSocket). Never logged.
/// </param>
public sealed record SessionOrigin(string? RequestHost, IPAddress? RemoteAddress, string? AccessToken);
