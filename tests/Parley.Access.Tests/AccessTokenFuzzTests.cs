using System.Text;

namespace Parley.Access.Tests;

/// <summary>
/// Random text and random mutations of a valid token never make the validator throw, and never get accepted unless
/// the mutation left the token's meaning intact (a change in base64url padding bits can).
/// </summary>
public sealed class AccessTokenFuzzTests
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ {}\"";

    [Fact]
    public void Random_text_is_refused_without_throwing()
    {
        var random = new Random(13);
        var validator = AccessTokenValidatorTests.Validator();
        for (var i = 0; i < 5_000; i++)
        {
            var text = i % 2 == 0 ? RandomText(random, Alphabet) : Encoding.Latin1.GetString(RandomBytes(random));
            Assert.False(validator.TryValidate(text, out _, out var refusal), text);
            Assert.NotNull(refusal.Code);
        }
    }

    [Fact]
    public void Random_parts_that_decode_to_anything_are_refused_without_throwing()
    {
        var random = new Random(14);
        var validator = AccessTokenValidatorTests.Validator();
        for (var i = 0; i < 5_000; i++)
        {
            // Base64url parts of random bytes, and of random JSON-ish text, get past the first checks.
            string Part() => random.Next(2) == 0
                ? Convert.ToBase64String(RandomBytes(random)).TrimEnd('=').Replace('+', '-').Replace('/', '_')
                : RawJwt.Part(RandomText(random, "{}[]\":,0123456789.eE-tfnrulasHS256algexpsubvideoroomJoin "));
            var text = $"{Part()}.{Part()}.{Part()}";
            Assert.False(validator.TryValidate(text, out _, out _), text);
        }
    }

    [Fact]
    public void Mutations_of_a_valid_token_never_throw_and_are_refused_when_they_change_it()
    {
        var random = new Random(15);
        var validator = AccessTokenValidatorTests.Validator();
        var token = RawJwt.Signed("""{"alg":"HS256"}""",
            $$$"""{"iss":"{{{AccessTokenValidatorTests.ApiKey}}}","sub":"alice","exp":{{{DateTimeOffset.UtcNow.AddYears(10).ToUnixTimeSeconds()}}},"video":{"roomJoin":true,"room":"r","canPublishSources":["microphone"]}}""",
            AccessTokenValidatorTests.Secret);
        Assert.True(validator.TryValidate(token, out var original, out _));

        for (var i = 0; i < 5_000; i++)
        {
            var characters = token.ToCharArray();
            for (var changes = random.Next(1, 4); changes > 0; changes--)
            {
                characters[random.Next(characters.Length)] = Alphabet[random.Next(Alphabet.Length)];
            }

            var mutated = new string(characters);
            if (validator.TryValidate(mutated, out var grant, out _))
            {
                // Only a change in the unused low bits of a part's last character decodes to the same bytes.
                Assert.Equal(original with { TokenHash = grant.TokenHash, Video = grant.Video }, grant);
                Assert.Equal(original.Video with { CanPublishSources = grant.Video.CanPublishSources }, grant.Video);
                Assert.Equal(original.Video.CanPublishSources, grant.Video.CanPublishSources);
            }
        }
    }

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(0, 300)];
        random.NextBytes(bytes);
        return bytes;
    }

    private static string RandomText(Random random, string alphabet)
    {
        var characters = new char[random.Next(0, 300)];
        for (var i = 0; i < characters.Length; i++)
        {
            characters[i] = alphabet[random.Next(alphabet.Length)];
        }

        return new string(characters);
    }
}
