using System.Net;

namespace Parley.Server.Tests.PeerJs;

/// <summary><c>PeerJs:Enabled</c> in open and token mode, and options refused at start.</summary>
public sealed class PeerJsConfigurationTests
{
    private const string Secret = "0123456789abcdef0123456789abcdef0123";

    private static async Task<HttpStatusCode> IdStatusAsync(ParleyServer server)
    {
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        using var response = await http.GetAsync("/peerjs/peerjs/id");
        return response.StatusCode;
    }

    [Fact]
    public async Task On_in_open_mode_off_in_token_mode_unless_enabled_and_off_when_disabled()
    {
        using (var open = new ParleyServer())
        {
            Assert.Equal(HttpStatusCode.OK, await IdStatusAsync(open));
        }

        using (var token = new ParleyServer(new() { ["Auth:Keys:APItest"] = Secret }))
        {
            Assert.Equal(HttpStatusCode.NotFound, await IdStatusAsync(token));
        }

        using (var tokenEnabled = new ParleyServer(new() { ["Auth:Keys:APItest"] = Secret, ["PeerJs:Enabled"] = "true" }))
        {
            Assert.Equal(HttpStatusCode.OK, await IdStatusAsync(tokenEnabled));
        }

        using var disabled = new ParleyServer(new() { ["PeerJs:Enabled"] = "false" });
        Assert.Equal(HttpStatusCode.NotFound, await IdStatusAsync(disabled));
    }

    [Fact]
    public async Task A_custom_path_and_key_are_served()
    {
        using var server = new ParleyServer(new() { ["PeerJs:Path"] = "/signal/pj", ["PeerJs:Key"] = "myapp" });
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        using var response = await http.GetAsync("/signal/pj/myapp/id");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    [Theory]
    [InlineData("PeerJs:Key", "has space", "PeerJs:Key")]
    [InlineData("PeerJs:Key", "", "PeerJs:Key")]
    [InlineData("PeerJs:Path", "peerjs", "PeerJs:Path")]
    [InlineData("PeerJs:Path", "/peerjs/", "PeerJs:Path")]
    [InlineData("PeerJs:ExpireTimeoutSeconds", "0", "ExpireTimeoutSeconds")]
    [InlineData("PeerJs:MaxConnections", "0", "MaxConnections")]
    [InlineData("PeerJs:AliveTimeoutSeconds", "5", "AliveTimeoutSeconds")]
    public void A_bad_option_stops_the_server_at_start(string key, string value, string named)
    {
        var error = Assert.ThrowsAny<Exception>(() => new ParleyServer(new() { [key] = value }).Dispose());
        Assert.Contains(named, error.ToString(), StringComparison.Ordinal);
    }
}
