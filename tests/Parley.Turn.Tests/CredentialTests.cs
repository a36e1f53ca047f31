using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Parley.Stun;
using Parley.Turn.Auth;

namespace Parley.Turn.Tests;

public class CredentialTests
{
    private const string Secret = "0123456789abcdef-secret";
    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));

    private TurnCredentialIssuer Issuer(params string[] secrets)
    {
        var options = new TurnOptions();
        foreach (string s in secrets)
        {
            options.SharedSecrets.Add(s);
        }

        return new TurnCredentialIssuer(new TurnSecrets(options.SharedSecrets), Options.Create(options), _time);
    }

    [Fact]
    public void Issued_credentials_use_the_coturn_rest_format()
    {
        TurnCredential credential = Issuer(Secret).Issue("alice", TimeSpan.FromMinutes(5));

        Assert.Equal("1800000300:alice", credential.Username);
#pragma warning disable CA5350
        string expected = Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes("1800000300:alice")));
#pragma warning restore CA5350
        Assert.Equal(expected, credential.Password);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_800_000_300), credential.ExpiresAt);
    }

    [Fact]
    public void Validity_is_capped_by_the_credential_lifetime()
    {
        TurnCredential credential = Issuer(Secret).Issue("alice", TimeSpan.FromDays(30));
        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromHours(1), credential.ExpiresAt);
    }

    [Theory]
    [InlineData("1800000001:bob", true, "bob")]
    [InlineData("1800000001:bob:with:colons", true, "bob:with:colons")]
    [InlineData("1800000000:bob", false, "")] // expires now
    [InlineData("1799999999:bob", false, "")]
    [InlineData("bob", false, "")]
    [InlineData("-5:bob", false, "")]
    [InlineData(":bob", false, "")]
    [InlineData("", false, "")]
    public void Usernames_are_parsed_and_expiry_enforced(string username, bool valid, string user)
    {
        Assert.Equal(valid, Issuer(Secret).TryParseUsername(username, out string parsed, out _));
        Assert.Equal(user, parsed);
    }

    [Fact]
    public void Every_configured_secret_is_accepted_and_the_first_issues()
    {
        TurnCredentialIssuer issuer = Issuer("new-secret-0123456789", "old-secret-0123456789");
        TurnCredential credential = issuer.Issue("carol");
        string[] candidates = [.. issuer.CandidatePasswords(credential.Username)];
        Assert.Equal(2, candidates.Length);
        Assert.Equal(credential.Password, candidates[0]);
        Assert.Equal(TurnCredentialIssuer.ComputePassword(Encoding.UTF8.GetBytes("old-secret-0123456789"), credential.Username), candidates[1]);
    }

    [Fact]
    public void Without_configured_secrets_a_random_one_is_generated()
    {
        var a = new TurnSecrets([]);
        var b = new TurnSecrets([]);
        Assert.Single(a.SharedSecrets);
        Assert.Equal(32, a.SharedSecrets[0].Length);
        Assert.NotEqual(a.SharedSecrets[0], b.SharedSecrets[0]);
    }

    [Fact]
    public void Issued_usernames_resolve_from_their_userhash_until_expiry()
    {
        TurnCredentialIssuer issuer = Issuer(Secret);
        TurnCredential credential = issuer.Issue("dave", TimeSpan.FromMinutes(2));
        byte[] hash = StunKeys.UserHash(credential.Username, "parley");

        Assert.True(issuer.TryResolveUserHash(hash, out string username));
        Assert.Equal(credential.Username, username);
        Assert.False(issuer.TryResolveUserHash(new byte[32], out _));

        _time.Advance(TimeSpan.FromMinutes(3));
        Assert.False(issuer.TryResolveUserHash(hash, out _));
    }

    [Fact]
    public void Nonces_are_bound_to_the_client_and_expire()
    {
        var nonce = new StatelessNonce(RandomNumberGenerator.GetBytes(32), _time, TimeSpan.FromMinutes(10));
        var client = new TransportAddress(IPAddress.Parse("198.51.100.7"), 4000);
        var other = new TransportAddress(IPAddress.Parse("198.51.100.7"), 4001);
        string value = nonce.Create(client, tcp: false);

        Assert.StartsWith("obMatJos2", value, StringComparison.Ordinal);
        Assert.True(nonce.IsValid(value, client, tcp: false));
        Assert.False(nonce.IsValid(value, other, tcp: false));
        Assert.False(nonce.IsValid(value, client, tcp: true));
        Assert.False(nonce.IsValid(value[..^1] + (value[^1] == 'A' ? 'B' : 'A'), client, tcp: false));
        Assert.False(nonce.IsValid("obMatJos2wAAAgarbage", client, tcp: false));

        _time.Advance(TimeSpan.FromMinutes(9));
        Assert.True(nonce.IsValid(value, client, tcp: false));
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.False(nonce.IsValid(value, client, tcp: false));
    }

    [Fact]
    public void A_nonce_from_another_process_key_is_rejected()
    {
        var client = new TransportAddress(IPAddress.Parse("198.51.100.7"), 4000);
        string value = new StatelessNonce(RandomNumberGenerator.GetBytes(32), _time, TimeSpan.FromMinutes(10)).Create(client, false);
        Assert.False(new StatelessNonce(RandomNumberGenerator.GetBytes(32), _time, TimeSpan.FromMinutes(10)).IsValid(value, client, false));
    }
}
