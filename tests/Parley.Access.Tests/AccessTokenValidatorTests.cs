using System.Globalization;
using Microsoft.Extensions.Time.Testing;

namespace Parley.Access.Tests;

/// <summary>
/// Every refusal of the validator, each with its stable code (docs/access.md), from hand-built tokens; and what an
/// accepted token yields: identity, name, metadata, grant, expiry and hash.
/// </summary>
public sealed class AccessTokenValidatorTests
{
    internal const string ApiKey = "APIparley";
    internal const string Secret = "a-secret-of-at-least-32-characters!!";
    private const string OtherSecret = "another-secret-of-32-characters-or-more";
    private const string Header = """{"alg":"HS256"}""";

    private static readonly DateTimeOffset Now = new(2030, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static long Seconds(int offset) => Now.ToUnixTimeSeconds() + offset;

    private static string Payload(string? exp = "+3600", string extra = "", string identity = "\"sub\":\"alice\",") =>
        $$"""{{{identity}}"iss":"{{ApiKey}}"{{(exp is null ? "" : $",\"exp\":{Seconds(int.Parse(exp, CultureInfo.InvariantCulture))}")}}{{extra}}}""";

    private static readonly Dictionary<string, Func<string>> Tokens = new()
    {
        ["empty"] = () => "",
        ["alg none, no signature"] = () => $"{RawJwt.Part("""{"alg":"none"}""")}.{RawJwt.Part(Payload())}.",
        ["alg none, HS256 signature"] = () => RawJwt.Signed("""{"alg":"none","typ":"JWT"}""", Payload(), Secret),
        ["alg HS384 in the header"] = () => RawJwt.Signed("""{"alg":"HS384"}""", Payload(), Secret),
        ["alg RS256 in the header"] = () => RawJwt.Signed("""{"alg":"RS256","typ":"JWT"}""", Payload(), Secret),
        ["alg hs256 in lower case"] = () => RawJwt.Signed("""{"alg":"hs256"}""", Payload(), Secret),
        ["no alg"] = () => RawJwt.Signed("""{"typ":"JWT"}""", Payload(), Secret),
        ["unknown iss"] = () => RawJwt.Signed(Header, Payload().Replace(ApiKey, "APIother", StringComparison.Ordinal), Secret),
        ["no iss"] = () => RawJwt.Signed(Header, $$"""{"sub":"alice","exp":{{Seconds(3600)}}}""", Secret),
        ["iss in another case"] = () => RawJwt.Signed(Header, Payload().Replace(ApiKey, ApiKey.ToUpperInvariant(), StringComparison.Ordinal), Secret),
        ["signed with another secret"] = () => RawJwt.Signed(Header, Payload(), OtherSecret),
        ["one signature character changed"] = () => RawJwt.WithSignatureCharacterChanged(RawJwt.Signed(Header, Payload(), Secret)),
        ["signature cut off"] = () => RawJwt.Signed(Header, Payload(), Secret)[..^1],
        ["payload changed after signing"] = () => Resigned(RawJwt.Signed(Header, Payload(), Secret), Payload(extra: ",\"video\":{\"roomAdmin\":true}")),
        ["expired beyond the leeway"] = () => RawJwt.Signed(Header, Payload(exp: "-61"), Secret),
        ["not valid for 61 s more"] = () => RawJwt.Signed(Header, Payload(extra: $",\"nbf\":{Seconds(61)}"), Secret),
        ["no exp"] = () => RawJwt.Signed(Header, Payload(exp: null), Secret),
        ["exp as a string"] = () => RawJwt.Signed(Header, Payload(exp: null, extra: $",\"exp\":\"{Seconds(3600)}\""), Secret),
        ["neither sub nor jti"] = () => RawJwt.Signed(Header, Payload(identity: ""), Secret),
        ["empty sub and empty jti"] = () => RawJwt.Signed(Header, Payload(identity: "\"sub\":\"\",\"jti\":\"\","), Secret),
        ["malformed base64"] = () => "eyJhbGciOiJIUzI1NiJ9.!!!not*base64!!!.c2ln",
        ["three parts of garbage"] = () => "abc.def.ghi",
        ["two parts"] = () => $"{RawJwt.Part(Header)}.{RawJwt.Part(Payload())}",
        ["five parts (JWE)"] = () => "eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..aGVsbG8.d29ybGQ.dGFn",
        ["header not JSON"] = () => $"{RawJwt.Part("alg=HS256")}.{RawJwt.Part(Payload())}.c2ln",
        ["payload an array"] = () => RawJwt.Signed(Header, "[1,2,3]", Secret),
        ["payload a number"] = () => RawJwt.Signed(Header, "42", Secret),
        ["payload null"] = () => RawJwt.Signed(Header, "null", Secret),
        ["payload not JSON"] = () => RawJwt.Signed(Header, "{\"sub\":", Secret),
        ["oversized"] = () => RawJwt.Signed(Header, Payload(extra: $",\"metadata\":\"{new string('m', 9000)}\""), Secret),
        ["video a string"] = () => RawJwt.Signed(Header, Payload(extra: ",\"video\":\"roomAdmin\""), Secret),
        ["roomJoin a string"] = () => RawJwt.Signed(Header, Payload(extra: ",\"video\":{\"roomJoin\":\"true\"}"), Secret),
        ["room a number"] = () => RawJwt.Signed(Header, Payload(extra: ",\"video\":{\"room\":7}"), Secret),
        ["canPublishSources a string"] = () => RawJwt.Signed(Header, Payload(extra: ",\"video\":{\"canPublishSources\":\"microphone\"}"), Secret),
        ["canPublishSources of numbers"] = () => RawJwt.Signed(Header, Payload(extra: ",\"video\":{\"canPublishSources\":[2]}"), Secret),
        ["name an object"] = () => RawJwt.Signed(Header, Payload(extra: ",\"name\":{\"first\":\"A\"}"), Secret),
        ["sub a number"] = () => RawJwt.Signed(Header, Payload(identity: "\"sub\":12,"), Secret),
        ["video nested too deep"] = () => RawJwt.Signed(Header, Payload(extra: $",\"video\":{{\"x\":{new string('[', 40)}{new string(']', 40)}}}"), Secret),
    };

    [Theory]
    [InlineData("empty", AccessRefusal.Missing)]
    [InlineData("alg none, no signature", AccessRefusal.Algorithm)]
    [InlineData("alg none, HS256 signature", AccessRefusal.Algorithm)]
    [InlineData("alg HS384 in the header", AccessRefusal.Algorithm)]
    [InlineData("alg RS256 in the header", AccessRefusal.Algorithm)]
    [InlineData("alg hs256 in lower case", AccessRefusal.Algorithm)]
    [InlineData("no alg", AccessRefusal.Algorithm)]
    [InlineData("unknown iss", AccessRefusal.UnknownKey)]
    [InlineData("no iss", AccessRefusal.UnknownKey)]
    [InlineData("iss in another case", AccessRefusal.UnknownKey)]
    [InlineData("signed with another secret", AccessRefusal.Signature)]
    [InlineData("one signature character changed", AccessRefusal.Signature)]
    [InlineData("signature cut off", AccessRefusal.Signature)]
    [InlineData("payload changed after signing", AccessRefusal.Signature)]
    [InlineData("expired beyond the leeway", AccessRefusal.Expired)]
    [InlineData("not valid for 61 s more", AccessRefusal.NotYetValid)]
    [InlineData("no exp", AccessRefusal.Malformed)]
    [InlineData("exp as a string", AccessRefusal.Malformed)]
    [InlineData("neither sub nor jti", AccessRefusal.NoIdentity)]
    [InlineData("empty sub and empty jti", AccessRefusal.NoIdentity)]
    [InlineData("malformed base64", AccessRefusal.Malformed)]
    [InlineData("three parts of garbage", AccessRefusal.Malformed)]
    [InlineData("two parts", AccessRefusal.Malformed)]
    [InlineData("five parts (JWE)", AccessRefusal.Malformed)]
    [InlineData("header not JSON", AccessRefusal.Malformed)]
    [InlineData("payload an array", AccessRefusal.Malformed)]
    [InlineData("payload a number", AccessRefusal.Malformed)]
    [InlineData("payload null", AccessRefusal.Malformed)]
    [InlineData("payload not JSON", AccessRefusal.Malformed)]
    [InlineData("oversized", AccessRefusal.Malformed)]
    [InlineData("video a string", AccessRefusal.Malformed)]
    [InlineData("roomJoin a string", AccessRefusal.Malformed)]
    [InlineData("room a number", AccessRefusal.Malformed)]
    [InlineData("canPublishSources a string", AccessRefusal.Malformed)]
    [InlineData("canPublishSources of numbers", AccessRefusal.Malformed)]
    [InlineData("name an object", AccessRefusal.Malformed)]
    [InlineData("sub a number", AccessRefusal.Malformed)]
    [InlineData("video nested too deep", AccessRefusal.Malformed)]
    public void A_token_is_refused_with_its_code(string token, string code)
    {
        var text = Tokens[token]();

        var accepted = Validator().TryValidate(text, out var grant, out var refusal);

        Assert.False(accepted, $"accepted as {grant?.Identity}");
        Assert.Equal(code, refusal.Code);
        Assert.False(string.IsNullOrWhiteSpace(refusal.Message));
        Assert.DoesNotContain(text.Length > 20 ? text[..20] : "\u0000", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_refusal_case_is_in_the_table() =>
        Assert.Equal(Tokens.Keys.Order(), typeof(AccessTokenValidatorTests).GetMethod(nameof(A_token_is_refused_with_its_code))!
            .GetCustomAttributes(typeof(InlineDataAttribute), false).Cast<InlineDataAttribute>()
            .Select(data => (string)data.GetData(null!).Single()[0]).Order());

    /// <summary>
    /// LiveKit's RoomServiceClient mints its admin tokens with no identity: the admin API takes them, joins do not, and
    /// every other check still applies to the API's tokens.
    /// </summary>
    [Fact]
    public void A_token_without_identity_is_taken_for_an_API_call_only()
    {
        var adminToken = RawJwt.Signed(Header, Payload(identity: "", extra: ",\"video\":{\"roomList\":true}"), Secret);
        var validator = Validator();

        Assert.False(validator.TryValidate(adminToken, out _, out var refusal));
        Assert.Equal(AccessRefusal.NoIdentity, refusal.Code);
        Assert.True(validator.TryValidateApiCall(adminToken, out var grant, out _));
        Assert.Equal("", grant.Identity);
        Assert.Equal(ApiKey, grant.ApiKey);
        Assert.True(grant.Video.RoomList);
        Assert.False(validator.TryValidateApiCall(Tokens["signed with another secret"](), out _, out refusal));
        Assert.Equal(AccessRefusal.Signature, refusal.Code);
        Assert.False(validator.TryValidateApiCall(Tokens["expired beyond the leeway"](), out _, out refusal));
        Assert.Equal(AccessRefusal.Expired, refusal.Code);
    }

    [Fact]
    public void A_null_token_is_missing()
    {
        Assert.False(Validator().TryValidate(null, out _, out var refusal));
        Assert.Equal(AccessRefusal.Missing, refusal.Code);
    }

    [Fact]
    public void A_token_as_the_Node_SDK_writes_it_is_accepted_with_every_claim()
    {
        // {"alg":"HS256"} without typ, no iat, nbf now, a grant, claims Parley ignores (attributes, kind, roomConfig).
        var token = RawJwt.Signed(Header, Payload(extra: $$"""
            ,"nbf":{{Seconds(0)}},"name":"Alice","metadata":"{\"team\":\"red\"}","attributes":{"a":"b"},"kind":"standard",
            "video":{"roomJoin":true,"room":"Lobby","canPublish":false,"canSubscribe":true,"canPublishData":true,
            "canPublishSources":["MICROPHONE","camera"],"roomAdmin":true,"roomList":true,"roomCreate":true,"hidden":false,
            "canUpdateOwnMetadata":true,"roomRecord":true,"agent":false,"destinationRoom":"x"},"roomConfig":{"name":"x"}
            """), Secret);

        Assert.True(Validator().TryValidate(token, out var grant, out var refusal), refusal.Message);

        Assert.Equal(ApiKey, grant.ApiKey);
        Assert.Equal("alice", grant.Identity);
        Assert.Equal("Alice", grant.Name);
        Assert.Equal("{\"team\":\"red\"}", grant.Metadata);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(Seconds(3600)), grant.ExpiresAt);
        Assert.Equal(AccessTokenValidator.HashOf(token), grant.TokenHash);
        var video = grant.Video;
        Assert.True(video.RoomJoin);
        Assert.Equal("Lobby", video.Room);
        Assert.False(video.CanPublish);
        Assert.True(video.CanSubscribe);
        Assert.True(video.CanPublishData);
        Assert.Equal(["microphone", "camera"], video.CanPublishSources);
        Assert.True(video.RoomAdmin);
        Assert.True(video.RoomList);
        Assert.True(video.RoomCreate);
        Assert.False(video.Hidden);
        Assert.True(video.CanUpdateOwnMetadata);
    }

    [Fact]
    public void The_parley_claim_carries_the_room_channel_as_raw_json_for_the_join_to_check()
    {
        var token = RawJwt.Signed(Header, Payload(extra: """
            ,"parley":{"channel":{"type":"positional","audibleDistance":50,"fadeModel":"linear"},"future":1}
            """), Secret);

        Assert.True(Validator().TryValidate(token, out var grant, out var refusal), refusal.Message);

        Assert.Equal(50, grant.Channel!.Value.GetProperty("audibleDistance").GetDouble());
        Assert.Equal("linear", grant.Channel.Value.GetProperty("fadeModel").GetString());
        Assert.Null(Validator().TryValidate(RawJwt.Signed(Header, Payload(), Secret), out var plain, out _) ? plain.Channel : "x");
    }

    [Fact]
    public void A_parley_claim_that_is_not_an_object_makes_the_token_malformed()
    {
        var token = RawJwt.Signed(Header, Payload(extra: ",\"parley\":\"positional\""), Secret);

        Assert.False(Validator().TryValidate(token, out _, out var refusal));
        Assert.Equal(AccessRefusal.Malformed, refusal.Code);
    }

    [Fact]
    public void A_token_with_neither_name_metadata_nor_video_gets_the_defaults()
    {
        Assert.True(Validator().TryValidate(RawJwt.Signed(Header, Payload(), Secret), out var grant, out _));

        Assert.Null(grant.Name);
        Assert.Null(grant.Metadata);
        Assert.Equal(new VideoGrant(), grant.Video);
        Assert.False(grant.Video.RoomJoin);
        Assert.True(grant.Video.CanPublishAudio);
    }

    [Theory]
    [InlineData("expired 59 s ago", "-59", null)]
    [InlineData("expires now", "+0", null)]
    [InlineData("valid from 59 s on", "+3600", "+59")]
    [InlineData("valid from a second ago", "+3600", "-1")]
    public void Clock_differences_within_the_leeway_are_accepted(string why, string exp, string? nbf)
    {
        var extra = nbf is null ? "" : $",\"nbf\":{Seconds(int.Parse(nbf, CultureInfo.InvariantCulture))}";
        var token = RawJwt.Signed(Header, Payload(exp: exp, extra: extra), Secret);

        Assert.True(Validator().TryValidate(token, out _, out var refusal), $"{why}: {refusal.Code}");
    }

    [Fact]
    public void A_token_expires_61_seconds_after_its_exp_as_the_clock_moves()
    {
        var clock = new FakeTimeProvider(Now);
        var validator = new AccessTokenValidator(Options(), clock);
        var token = RawJwt.Signed(Header, Payload(exp: "+10"), Secret);
        Assert.True(validator.TryValidate(token, out _, out _));

        clock.Advance(TimeSpan.FromSeconds(70));
        Assert.True(validator.TryValidate(token, out _, out _));

        clock.Advance(TimeSpan.FromSeconds(1.5));
        Assert.False(validator.TryValidate(token, out _, out var refusal));
        Assert.Equal(AccessRefusal.Expired, refusal.Code);
    }

    [Fact]
    public void Without_sub_the_identity_is_the_jti()
    {
        var token = RawJwt.Signed(Header, Payload(identity: "\"jti\":\"bob\","), Secret);

        Assert.True(Validator().TryValidate(token, out var grant, out _));
        Assert.Equal("bob", grant.Identity);
    }

    [Fact]
    public void Sub_wins_over_jti()
    {
        var token = RawJwt.Signed(Header, Payload(identity: "\"sub\":\"alice\",\"jti\":\"token-7\","), Secret);

        Assert.True(Validator().TryValidate(token, out var grant, out _));
        Assert.Equal("alice", grant.Identity);
    }

    [Fact]
    public void Iss_selects_the_secret_among_several_keys()
    {
        var options = Options();
        options.Keys["APInew"] = OtherSecret;
        var validator = new AccessTokenValidator(options, new FakeTimeProvider(Now));
        var newPayload = Payload().Replace(ApiKey, "APInew", StringComparison.Ordinal);

        Assert.True(validator.TryValidate(RawJwt.Signed(Header, Payload(), Secret), out var old, out _));
        Assert.Equal(ApiKey, old.ApiKey);
        Assert.True(validator.TryValidate(RawJwt.Signed(Header, newPayload, OtherSecret), out var renewed, out _));
        Assert.Equal("APInew", renewed.ApiKey);
        Assert.False(validator.TryValidate(RawJwt.Signed(Header, newPayload, Secret), out _, out var refusal));
        Assert.Equal(AccessRefusal.Signature, refusal.Code);
    }

    [Fact]
    public void The_token_hash_is_base64url_of_the_SHA_256_of_the_text()
    {
        // SHA-256("abc"), FIPS 180-2 appendix B.1: ba7816bf 8f01cfea 414140de 5dae2223 b00361a3 96177a9c b410ff61 f20015ad.
        Assert.Equal("ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0", AccessTokenValidator.HashOf("abc"));
    }

    [Fact]
    public void A_secret_shorter_than_32_characters_is_refused_at_construction()
    {
        var options = new AuthOptions();
        options.Keys["short"] = new string('s', 31);

        var error = Assert.Throws<ArgumentException>(() => new AccessTokenValidator(options, TimeProvider.System));
        Assert.DoesNotContain(new string('s', 31), error.Message, StringComparison.Ordinal);
    }

    internal static AuthOptions Options()
    {
        var options = new AuthOptions();
        options.Keys[ApiKey] = Secret;
        return options;
    }

    internal static AccessTokenValidator Validator() => new(Options(), new FakeTimeProvider(Now));

    /// <summary>A signed token's signature on another payload: what tampering with the claims looks like.</summary>
    private static string Resigned(string token, string payloadJson) =>
        $"{token[..token.IndexOf('.', StringComparison.Ordinal)]}.{RawJwt.Part(payloadJson)}{token[token.LastIndexOf('.')..]}";
}
