namespace Parley.Server.Tests;

public sealed class KeepAliveTests
{
    [Fact]
    public async Task A_client_that_stops_answering_pings_leaves_its_room()
    {
        using var server = new ParleyServer(new() { ["Signaling:KeepAliveSeconds"] = "2", ["Signaling:ResumeGraceSeconds"] = "0" });
        await using var ann = await server.JoinAsync("keepalive", "Ann");
        using var silent = await SilentClient.JoinAsync(server.BaseAddress, "keepalive", "Ghost");
        var joined = await ann.ExpectAsync("participant-joined");

        // The server pings after two seconds and gives up two seconds later: Ann hears of it without
        // Ghost's socket ever closing.
        var left = await ann.ExpectAsync("participant-left");

        Assert.Equal(joined.GetProperty("participant").GetProperty("id").GetString(), left.GetProperty("id").GetString());
        Assert.Equal("disconnected", left.GetProperty("reason").GetString());
    }
}
