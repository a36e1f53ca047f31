using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using Parley.Access;

namespace Parley.Browser.Tests.Infrastructure;

/// <summary>
/// The key of the token-mode server (<see cref="BrowserSuite.TokenServerAsync"/>) and tokens minted for it with
/// <see cref="AccessTokenMinter"/>, as an app's backend mints them (docs/access.md).
/// </summary>
public static class AccessTokens
{
    /// <summary>The API key (<c>iss</c>) the token-mode server knows.</summary>
    public const string ApiKey = "APIbrowser";

    /// <summary>Its secret: 40 random characters, new for every run.</summary>
    public static string Secret { get; } = NewSecret();

    /// <summary>The server's setting that turns token mode on with <see cref="ApiKey"/>.</summary>
    public static string ServerSetting => $"--Auth:Keys:{ApiKey}={Secret}";

    /// <summary>A secret the server does not know, for tokens with a bad signature.</summary>
    public static string NewSecret() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));

    /// <summary>
    /// A token for <paramref name="room"/> with <c>roomJoin</c>, valid for an hour from <paramref name="issuedAt"/>
    /// (now when null), signed with <paramref name="secret"/> (<see cref="Secret"/> when null).
    /// </summary>
    public static string Mint(string room, string identity, string name, bool canPublish = true, bool admin = false,
        string? secret = null, DateTimeOffset? issuedAt = null)
    {
        var clock = new FakeTimeProvider(issuedAt ?? DateTimeOffset.UtcNow);
        var grant = new VideoGrant { RoomJoin = true, Room = room, CanPublish = canPublish, RoomAdmin = admin };
        return new AccessTokenMinter(clock).Mint(ApiKey, secret ?? Secret, identity, name, null, grant, TimeSpan.FromHours(1));
    }
}
