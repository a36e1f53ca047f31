using System.Text.Json;
using Xunit.Abstractions;

namespace Parley.Server.Tests.Scale;

/// <summary>The room limit holds across nodes: seats are decided atomically in Redis, not by each node alone.</summary>
[Collection(ScaleTestGroup.Name)]
public sealed class RoomLimitTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Twenty_simultaneous_joins_to_one_room_across_three_nodes_admit_exactly_sixteen()
    {
        await using var nodes = await ParleyNodes.StartAsync(3, output);
        var room = "limit-" + Guid.NewGuid().ToString("N")[..8];
        var clients = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => nodes.Nodes[i % 3].ConnectAsync()));
        try
        {
            // Every join sent at once; each client's answer is joined or an error (unavailable is tried again, as the SDK does).
            var answers = await Task.WhenAll(clients.Select((c, i) => Rejoining.AnswerAsync(c, room, $"P{i}")));

            var joined = answers.Count(a => a.GetProperty("type").GetString() == "joined");
            var refusals = answers.Where(a => a.GetProperty("type").GetString() == "error").Select(a => a.GetProperty("code").GetString()).ToList();
            Assert.True(joined == 16, $"{joined} joined; answers: {string.Join(", ", answers)}");
            Assert.Equal(Enumerable.Repeat("room-full", 4), refusals);

            // And the sixteen are in one room: the last to be admitted sees the fifteen others, wherever they joined.
            var ids = answers.Where(a => a.GetProperty("type").GetString() == "joined")
                .Select(a => a.GetProperty("self").GetProperty("id").GetString()).ToHashSet();
            Assert.Equal(16, ids.Count);
            var seen = answers.Where(a => a.GetProperty("type").GetString() == "joined")
                .Max(a => a.GetProperty("participants").GetArrayLength());
            Assert.Equal(15, seen);

            // A seventeenth, later, through any node: still full.
            await using var late = await nodes.C.ConnectAsync();
            var lateAnswer = await Rejoining.AnswerAsync(late, room, "Late");
            Assert.Equal("room-full", lateAnswer.GetProperty("code").GetString());
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }
}
