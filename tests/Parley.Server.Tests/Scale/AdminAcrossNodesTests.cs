using Parley.Access;
using Parley.Server.Tests.LiveKit;
using Xunit.Abstractions;
using static Parley.Server.Tests.LiveKit.RoomServiceNode;

namespace Parley.Server.Tests.Scale;

/// <summary>
/// The admin API (LiveKit's RoomService, called by the real livekit-server-sdk) of any node answers for every room:
/// an app's backend behind a load balancer reaches whichever node, not the one serving the room.
/// </summary>
[Collection(ScaleTestGroup.Name)]
public sealed class AdminAcrossNodesTests(ITestOutputHelper output)
{
    private const string Key = "APIscale";
    private static readonly string Secret = new('k', 40);

    [Fact]
    public async Task A_node_answers_for_a_room_another_node_serves_and_lists_every_nodes_rooms()
    {
        await using var nodes = await ParleyNodes.StartAsync(2, output, new Dictionary<string, string?> { [$"Auth__Keys__{Key}"] = Secret });
        var room = "admin-" + Guid.NewGuid().ToString("N")[..8];
        await using var alice = await Rejoining.JoinUntilAcceptedAsync(nodes.A, new { type = "join", protocol = 1, token = Token("alice", room) });

        // Asked on B, about the room A serves.
        var results = await CallAsync(nodes.B.BaseAddress, Key, Secret,
        [
            new Call("listRooms"),
            new Call("listParticipants", room),
            new Call("updateParticipant", room, "alice", new { metadata = "{\"seat\":1}" }),
            new Call("sendData", room, new byte[] { 1, 2, 3 }, 0, new { topic = "scores" }),
            new Call("getParticipant", room, "nobody"),
        ]);

        var listed = Assert.Single(results[0].Answer.EnumerateArray(), r => r.GetProperty("name").GetString() == room);
        Assert.Equal(1, listed.GetProperty("numParticipants").GetInt32());
        Assert.Equal("alice", Assert.Single(results[1].Answer.EnumerateArray()).GetProperty("identity").GetString());
        Assert.Equal("{\"seat\":1}", results[2].Answer.GetProperty("metadata").GetString());
        Assert.True(results[3].Ok, results[3].Message);
        Assert.Equal((404, "not_found"), (results[4].Status, results[4].Code));
        var updated = await alice.ExpectAsync("participant-updated");
        Assert.Equal("{\"seat\":1}", updated.GetProperty("participant").GetProperty("metadata").GetString());
        var data = await alice.ExpectAsync("data");
        Assert.Equal("AQID", data.GetProperty("payload").GetString());

        // A room created through B is B's; A lists it and deletes it through B.
        var planning = "plan-" + Guid.NewGuid().ToString("N")[..8];
        var created = await CallAsync(nodes.B.BaseAddress, Key, Secret, [new Call("createRoom", new { name = planning, emptyTimeout = 60 })]);
        Assert.True(created[0].Ok, created[0].Message);
        var fromA = await CallAsync(nodes.A.BaseAddress, Key, Secret,
            [new Call("listRooms"), new Call("deleteRoom", planning), new Call("listRooms", (object)new[] { planning })]);
        Assert.Contains(fromA[0].Answer.EnumerateArray(), r => r.GetProperty("name").GetString() == planning);
        Assert.Contains(fromA[0].Answer.EnumerateArray(), r => r.GetProperty("name").GetString() == room);
        Assert.True(fromA[1].Ok, fromA[1].Message);
        Assert.Empty(fromA[2].Answer.EnumerateArray());

        // Removed through B, from the room A serves.
        var removal = await CallAsync(nodes.B.BaseAddress, Key, Secret, [new Call("removeParticipant", room, "alice")]);
        Assert.True(removal[0].Ok, removal[0].Message);
        await alice.ExpectErrorAsync("removed");
    }

    private static string Token(string identity, string room) =>
        new AccessTokenMinter(TimeProvider.System).Mint(Key, Secret, identity, identity, null, new VideoGrant { RoomJoin = true, Room = room }, TimeSpan.FromHours(1));
}
