using Xunit.Abstractions;

namespace Parley.Server.Tests.Scale;

/// <summary>
/// Joins wait for Redis without holding a thread (where the room lives, the open frame to its owner, the seat): with
/// each node's thread pool capped at four workers, a burst of joins across two nodes is decided at once, where joins
/// that blocked a worker each would starve the very workers that read Redis's answers and end in <c>unavailable</c>.
/// </summary>
[Collection(ScaleTestGroup.Name)]
public sealed class ThreadlessWaitTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Twenty_simultaneous_joins_across_two_nodes_with_four_pool_threads_each_are_all_decided_without_unavailable()
    {
        await using var nodes = await ParleyNodes.StartAsync(2, output, new Dictionary<string, string?> { ["DOTNET_ThreadPool_ForceMaxWorkerThreads"] = "4" });

        // First a join through each node, so that start-up work (the first script loads, JIT) is not what the burst measures.
        foreach (var node in nodes.Nodes)
        {
            await using var first = await Rejoining.JoinAsync(node, "warm-" + node.Name, "First");
        }

        var room = "burst-" + Guid.NewGuid().ToString("N")[..8];
        var clients = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => nodes.Nodes[i % 2].ConnectAsync()));
        try
        {
            await Task.WhenAll(clients.Select((client, i) => client.SendAsync(Rejoining.Join(room, $"P{i}"))));
            var answers = await Task.WhenAll(clients.Select(client => client.ReceiveAsync()));

            var kinds = answers.Select(answer => answer.GetProperty("type").GetString() == "joined" ? "joined" : answer.GetProperty("code").GetString()).ToList();
            Assert.True(kinds.Count(kind => kind == "joined") == 16 && kinds.Count(kind => kind == "room-full") == 4,
                $"Answers: {string.Join(", ", kinds)}{Environment.NewLine}{nodes.Output}");
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
