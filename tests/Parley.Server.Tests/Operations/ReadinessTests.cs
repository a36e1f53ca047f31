using System.Net;
using System.Net.Http;

namespace Parley.Server.Tests.Operations;

/// <summary><c>/readyz</c>: ready once listening with TURN able to relay.</summary>
public sealed class ReadinessTests
{
    [Fact]
    public async Task Readyz_is_ready_once_the_listeners_are_bound_and_turn_can_relay()
    {
        var (server, _) = TurnIceServerTests.StartWithTurn(new() { ["Turn:RelayAddress"] = "127.0.0.1" });
        using var _ = server;
        using var http = new HttpClient();

        var response = await http.GetAsync(new Uri(server.BaseAddress, "/readyz"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ready\n", await response.Content.ReadAsStringAsync());
    }
}
