using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;

namespace Parley.Access.Tests;

/// <summary>What the minter writes: LiveKit's shape, read back by the validator with every field intact.</summary>
public sealed class AccessTokenMinterTests
{
    private static readonly DateTimeOffset Now = new(2030, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly VideoGrant Everything = new()
    {
        RoomJoin = true,
        Room = "lobby",
        RoomAdmin = true,
        RoomList = true,
        RoomCreate = true,
        CanPublish = false,
        CanSubscribe = true,
        CanPublishData = true,
        CanPublishSources = ["microphone"],
        Hidden = true,
        CanUpdateOwnMetadata = true,
    };

    [Fact]
    public void A_minted_token_validates_with_every_field()
    {
        var clock = new FakeTimeProvider(Now);
        var token = new AccessTokenMinter(clock).Mint(AccessTokenValidatorTests.ApiKey, AccessTokenValidatorTests.Secret, "alice", "Alice", "{\"a\":1}", Everything, TimeSpan.FromHours(1));

        Assert.True(new AccessTokenValidator(AccessTokenValidatorTests.Options(), clock).TryValidate(token, out var grant, out var refusal), refusal.Message);

        Assert.Equal(new AccessGrant(AccessTokenValidatorTests.ApiKey, "alice", "Alice", "{\"a\":1}", grant.Video, Now.AddHours(1), AccessTokenValidator.HashOf(token)), grant);
        Assert.Equal(Everything.CanPublishSources, grant.Video.CanPublishSources);
        Assert.Equal(Everything with { CanPublishSources = grant.Video.CanPublishSources }, grant.Video);
    }

    [Fact]
    public void The_header_and_claims_are_LiveKits_with_unset_grant_fields_left_out()
    {
        var token = new AccessTokenMinter(new FakeTimeProvider(Now)).Mint("key", AccessTokenValidatorTests.Secret, "bob", null, null,
            new VideoGrant { RoomJoin = true, Room = "r" }, TimeSpan.FromMinutes(5));
        var parts = token.Split('.');

        Assert.Equal(3, parts.Length);
        using var header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0]));
        Assert.Equal("HS256", header.RootElement.GetProperty("alg").GetString());
        Assert.Equal("JWT", header.RootElement.GetProperty("typ").GetString());
        using var payload = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
        var claims = payload.RootElement;
        Assert.Equal(["exp", "iss", "jti", "nbf", "sub", "video"], claims.EnumerateObject().Select(claim => claim.Name).Order(StringComparer.Ordinal));
        Assert.Equal("key", claims.GetProperty("iss").GetString());
        Assert.Equal("bob", claims.GetProperty("sub").GetString());
        Assert.Equal(Now.ToUnixTimeSeconds(), claims.GetProperty("nbf").GetInt64());
        Assert.Equal(Now.AddMinutes(5).ToUnixTimeSeconds(), claims.GetProperty("exp").GetInt64());
        Assert.Equal("""{"roomJoin":true,"room":"r"}""", claims.GetProperty("video").GetRawText());
    }

    [Fact]
    public void Each_token_gets_its_own_jti()
    {
        var minter = new AccessTokenMinter(new FakeTimeProvider(Now));
        string Jti() => JsonDocument.Parse(Base64Url.DecodeFromChars(minter.Mint("key", AccessTokenValidatorTests.Secret, "bob", null, null, new VideoGrant(), TimeSpan.FromMinutes(5)).Split('.')[1]))
            .RootElement.GetProperty("jti").GetString()!;

        Assert.NotEqual(Jti(), Jti());
    }

    [Fact]
    public void A_short_secret_is_refused_without_echoing_it()
    {
        var secret = new string('x', 31);
        var error = Assert.Throws<ArgumentException>(() =>
            new AccessTokenMinter(TimeProvider.System).Mint("key", secret, "bob", null, null, new VideoGrant(), TimeSpan.FromHours(1)));
        Assert.DoesNotContain(secret, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_secret_is_used_as_its_UTF_8_bytes()
    {
        // 32 characters, 64 UTF-8 bytes: LiveKit's SDKs sign with new TextEncoder().encode(secret).
        var secret = new string('é', 32);
        var options = new AuthOptions();
        options.Keys["key"] = secret;
        var token = new AccessTokenMinter(new FakeTimeProvider(Now)).Mint("key", secret, "bob", null, null, new VideoGrant(), TimeSpan.FromHours(1));

        Assert.True(new AccessTokenValidator(options, new FakeTimeProvider(Now)).TryValidate(token, out _, out _));
        Assert.Equal(token, RawJwt.Signed(Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token.Split('.')[0])), Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token.Split('.')[1])), secret));
    }
}
