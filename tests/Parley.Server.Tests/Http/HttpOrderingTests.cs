using System.Net;
using System.Text;
using System.Text.Json;

namespace Parley.Server.Tests;

/// <summary>
/// The client's POSTs are applied in their <c>seq</c> order whatever order they arrive in, each once
/// (docs/protocol.md, "Signaling over HTTP", "Up").
/// </summary>
public sealed class HttpOrderingTests : IClassFixture<HttpOrderingTests.Server>
{
    public sealed class Server : IDisposable
    {
        // Chat limits out of the way: thirty chat messages at once are the point here.
        public ParleyServer Parley { get; } = new(new() { ["Signaling:ChatBurst"] = "1000", ["Signaling:ChatMessagesPerMinute"] = "60000" });

        public void Dispose() => Parley.Dispose();
    }

    private readonly ParleyServer server;

    public HttpOrderingTests(Server fixture) => server = fixture.Parley;

    private static string NewRoom() => "order-" + Guid.NewGuid().ToString("N")[..8];

    private static byte[] Chat(string text) => Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { type = "chat", text }));

    private async Task<(ISignalingTestClient Ann, HttpSignalingClient Bob)> PairAsync(string transport)
    {
        var room = NewRoom();
        var ann = await server.JoinAsync(room, "Ann", "websocket");
        var bob = (HttpSignalingClient)await server.JoinAsync(room, "Bob", transport);
        await ann.ExpectAsync("participant-joined");
        return (ann, bob);
    }

    [Theory]
    [InlineData("sse")]
    [InlineData("long-poll")]
    public async Task Thirty_messages_posted_at_once_in_shuffled_order_reach_the_room_in_seq_order(string transport)
    {
        var (ann, bob) = await PairAsync(transport);
        await using var _ = ann;
        await using var __ = bob;
        var numbered = Enumerable.Range(0, 30).Select(i => (Sequence: bob.TakeSequence(), Text: $"m{i}")).ToArray();

        // The last one goes first, the first one last, the others in between in a fixed shuffle, all in flight together.
        var shuffled = numbered[1..^1].OrderBy(_ => new Random(14).Next()).Prepend(numbered[^1]).Append(numbered[0]).ToArray();
        var responses = await Task.WhenAll(shuffled.Select(async message =>
        {
            await Task.Yield();
            using var response = await bob.PostAsync(message.Sequence, Chat(message.Text));
            return response.StatusCode;
        }));

        Assert.All(responses, status => Assert.Contains(status, (HttpStatusCode[])[HttpStatusCode.NoContent, HttpStatusCode.Accepted]));
        Assert.Contains(HttpStatusCode.Accepted, responses); // the last one, at least, arrived while the first was missing
        var received = new List<string>();
        for (var i = 0; i < numbered.Length; i++)
        {
            received.Add((await ann.ExpectAsync("chat")).GetProperty("text").GetString()!);
        }

        Assert.Equal(numbered.Select(m => m.Text), received);
        await ann.AssertAliveAsync();
    }

    [Fact]
    public async Task A_repeated_post_is_answered_204_and_applied_once()
    {
        var (ann, bob) = await PairAsync("sse");
        await using var _ = ann;
        await using var __ = bob;
        var sequence = bob.TakeSequence();

        using (var first = await bob.PostAsync(sequence, Chat("once")))
        {
            Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        }

        using (var again = await bob.PostAsync(sequence, Chat("twice?")))
        {
            Assert.Equal(HttpStatusCode.NoContent, again.StatusCode);
        }

        Assert.Equal("once", (await ann.ExpectAsync("chat")).GetProperty("text").GetString());
        await bob.SendAsync(new { type = "chat", text = "next" });
        Assert.Equal("next", (await ann.ExpectAsync("chat")).GetProperty("text").GetString()); // and no second "once" before it
        await ann.AssertAliveAsync();
    }

    [Fact]
    public async Task A_post_ahead_of_a_missing_one_is_held_202_until_it_arrives()
    {
        var (ann, bob) = await PairAsync("long-poll");
        await using var _ = ann;
        await using var __ = bob;
        var (first, second) = (bob.TakeSequence(), bob.TakeSequence());

        using (var early = await bob.PostAsync(second, Chat("second")))
        {
            Assert.Equal(HttpStatusCode.Accepted, early.StatusCode);
        }

        await ann.AssertAliveAsync(); // nothing relayed yet
        using (var late = await bob.PostAsync(first, Chat("first")))
        {
            Assert.Equal(HttpStatusCode.NoContent, late.StatusCode);
        }

        Assert.Equal("first", (await ann.ExpectAsync("chat")).GetProperty("text").GetString());
        Assert.Equal("second", (await ann.ExpectAsync("chat")).GetProperty("text").GetString());
        using (var held = await bob.PostAsync(second, Chat("second again")))
        {
            Assert.Equal(HttpStatusCode.NoContent, held.StatusCode); // applied already
        }

        await ann.AssertAliveAsync();
    }

    [Fact]
    public async Task A_post_too_far_ahead_is_refused_409_out_of_order_and_may_be_sent_again_later()
    {
        var (ann, bob) = await PairAsync("sse");
        await using var _ = ann;
        await using var __ = bob;
        var next = bob.LastSequence + 1;

        // 32 (MaxPendingMessages) ahead of the next one: beyond what the server holds.
        using (var refused = await bob.PostAsync(next + 32, Chat("far")))
        {
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Equal("out-of-order", JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString());
        }

        using (var edge = await bob.PostAsync(next + 31, Chat("edge")))
        {
            Assert.Equal(HttpStatusCode.Accepted, edge.StatusCode); // the farthest one held
        }

        await ann.AssertAliveAsync();
        for (var sequence = next; sequence < next + 31; sequence++)
        {
            Assert.Equal(sequence, bob.TakeSequence());
            using var response = await bob.PostAsync(sequence, Chat($"fill{sequence - next}"));
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        }

        Assert.Equal(next + 31, bob.TakeSequence()); // the held one's
        Assert.Equal(next + 32, bob.TakeSequence());
        using (var again = await bob.PostAsync(next + 32, Chat("far")))
        {
            Assert.Equal(HttpStatusCode.NoContent, again.StatusCode); // next in line now
        }

        var texts = new List<string>();
        for (var i = 0; i < 33; i++)
        {
            texts.Add((await ann.ExpectAsync("chat")).GetProperty("text").GetString()!);
        }

        Assert.Equal([.. Enumerable.Range(0, 31).Select(i => $"fill{i}"), "edge", "far"], texts);
        await ann.AssertAliveAsync();
    }
}
