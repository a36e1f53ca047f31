using System.Text.Json;
using System.Text.Json.Nodes;
using Parley.Tests.Shared;

namespace Parley.Access.Tests;

/// <summary>
/// Tokens across the real npm livekit-server-sdk (tests/interop/): minted by its <c>AccessToken</c> as an app's backend
/// mints them, validated by Parley with every field intact; and minted by Parley, verified by its <c>TokenVerifier</c>.
/// </summary>
public sealed class LiveKitSdkInteropTests
{
    private const string ApiKey = AccessTokenValidatorTests.ApiKey;
    private const string Secret = AccessTokenValidatorTests.Secret;

    private static AccessTokenValidator Validator() => new(AccessTokenValidatorTests.Options(), TimeProvider.System);

    public static TheoryData<string> Grants => new()
    {
        """{"roomJoin":true,"room":"lobby"}""",
        """{"roomJoin":true,"room":"Stage","canPublish":false,"canSubscribe":true,"canPublishData":true,"hidden":false}""",
        """{"roomJoin":true,"room":"r","canPublishSources":["microphone","screen_share_audio"],"canUpdateOwnMetadata":true}""",
        """{"roomJoin":true,"room":"r","canPublish":true,"canPublishSources":["camera"],"canSubscribe":false,"canPublishData":false}""",
        """{"roomAdmin":true,"roomList":true,"roomCreate":true,"room":"r","hidden":true}""",
        """{}""",
    };

    [Theory]
    [MemberData(nameof(Grants))]
    public async Task A_token_from_the_SDKs_AccessToken_validates_with_every_field(string grantJson)
    {
        var token = await MintWithSdkAsync(Secret, "alice@example.org", "Alice Å", "{\"team\":\"red\",\"seat\":4}", grantJson);

        Assert.True(Validator().TryValidate(token, out var grant, out var refusal), $"{refusal.Code}: {refusal.Message}");

        Assert.Equal(ApiKey, grant.ApiKey);
        Assert.Equal("alice@example.org", grant.Identity);
        Assert.Equal("Alice Å", grant.Name);
        Assert.Equal("{\"team\":\"red\",\"seat\":4}", grant.Metadata);
        Assert.InRange(grant.ExpiresAt - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(55), TimeSpan.FromMinutes(61));
        var expected = JsonNode.Parse(grantJson)!.AsObject();
        var video = grant.Video;
        Assert.Equal(Flag(expected, "roomJoin") ?? false, video.RoomJoin);
        Assert.Equal((string?)expected["room"], video.Room);
        Assert.Equal(Flag(expected, "roomAdmin") ?? false, video.RoomAdmin);
        Assert.Equal(Flag(expected, "roomList") ?? false, video.RoomList);
        Assert.Equal(Flag(expected, "roomCreate") ?? false, video.RoomCreate);
        Assert.Equal(Flag(expected, "canPublish"), video.CanPublish);
        Assert.Equal(Flag(expected, "canSubscribe"), video.CanSubscribe);
        Assert.Equal(Flag(expected, "canPublishData"), video.CanPublishData);
        Assert.Equal(Flag(expected, "hidden") ?? false, video.Hidden);
        Assert.Equal(Flag(expected, "canUpdateOwnMetadata") ?? false, video.CanUpdateOwnMetadata);
        Assert.Equal(expected["canPublishSources"]?.AsArray().Select(source => (string)source!), video.CanPublishSources);
    }

    [Fact]
    public async Task The_SDKs_token_with_one_signature_character_changed_is_refused()
    {
        var token = await MintWithSdkAsync(Secret, "alice", null, null, """{"roomJoin":true,"room":"r"}""");
        Assert.True(Validator().TryValidate(token, out _, out _));

        Assert.False(Validator().TryValidate(RawJwt.WithSignatureCharacterChanged(token), out _, out var refusal));
        Assert.Equal(AccessRefusal.Signature, refusal.Code);
    }

    [Fact]
    public async Task The_SDKs_token_signed_with_another_secret_is_refused()
    {
        var token = await MintWithSdkAsync("a-different-secret-that-is-32-chars-long", "alice", null, null, """{"roomJoin":true,"room":"r"}""");

        Assert.False(Validator().TryValidate(token, out _, out var refusal));
        Assert.Equal(AccessRefusal.Signature, refusal.Code);
    }

    [Fact]
    public async Task A_token_from_the_minter_is_verified_by_the_SDKs_TokenVerifier()
    {
        var token = new AccessTokenMinter(TimeProvider.System).Mint(ApiKey, Secret, "bob", "Bob", "{\"x\":1}",
            new VideoGrant { RoomJoin = true, Room = "lobby", RoomAdmin = true, CanPublish = false, CanPublishSources = ["microphone"] }, TimeSpan.FromHours(1));

        var payload = JsonNode.Parse(await InteropNode.RunAsync("verify-token.mjs", [ApiKey, Secret], token))!;

        Assert.Equal(ApiKey, (string?)payload["iss"]);
        Assert.Equal("bob", (string?)payload["sub"]);
        Assert.Equal("Bob", (string?)payload["name"]);
        Assert.Equal("{\"x\":1}", (string?)payload["metadata"]);
        Assert.Equal(
            """{"roomJoin":true,"room":"lobby","roomAdmin":true,"canPublish":false,"canPublishSources":["microphone"]}""",
            payload["video"]!.ToJsonString());
    }

    [Fact]
    public async Task The_SDKs_TokenVerifier_refuses_a_minted_token_under_another_secret()
    {
        var token = new AccessTokenMinter(TimeProvider.System).Mint(ApiKey, Secret, "bob", null, null, new VideoGrant(), TimeSpan.FromHours(1));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            InteropNode.RunAsync("verify-token.mjs", [ApiKey, "a-different-secret-that-is-32-chars-long"], token));
        Assert.Contains("signature", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    private static bool? Flag(JsonObject grant, string name) => (bool?)grant[name];

    private static async Task<string> MintWithSdkAsync(string secret, string identity, string? name, string? metadata, string grantJson)
    {
        var input = new JsonObject
        {
            ["apiKey"] = ApiKey,
            ["secret"] = secret,
            ["identity"] = identity,
            ["name"] = name,
            ["metadata"] = metadata,
            ["ttl"] = "1h",
            ["grant"] = JsonNode.Parse(grantJson),
        };
        var token = (await InteropNode.RunAsync("mint-token.mjs", standardInput: input.ToJsonString(new JsonSerializerOptions()))).Trim();
        Assert.Equal(3, token.Split('.').Length);
        return token;
    }
}
