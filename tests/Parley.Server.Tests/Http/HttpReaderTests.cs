using System.Net;
using System.Text.Json;

namespace Parley.Server.Tests;

/// <summary>
/// The server's side of HTTP signaling: replay after a dropped event stream, the bounded replay window and its
/// <c>reset</c>, one reader at a time, and the idle expiry (docs/protocol.md, "Signaling over HTTP", "Down" and "Liveness").
/// </summary>
public sealed class HttpReaderTests : IDisposable
{
    // A replay window of 8 messages; an HTTP client silent for 5 s has vanished.
    private readonly ParleyServer server = new(new()
    {
        ["Signaling:MaxQueuedMessages"] = "8", ["Signaling:Http:IdleSeconds"] = "5",
        ["Signaling:ChatBurst"] = "1000", ["Signaling:ChatMessagesPerMinute"] = "60000",
    });

    public void Dispose() => server.Dispose();

    private static string NewRoom() => "reader-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>Ann says <paramref name="text"/> in the room and reads her own copy back.</summary>
    private static async Task ChatAsync(ISignalingTestClient ann, string text)
    {
        await ann.SendAsync(new { type = "chat", text });
        Assert.Equal(text, (await ann.ExpectAsync("chat")).GetProperty("text").GetString());
    }

    private static string Text(JsonElement chat)
    {
        Assert.Equal("chat", chat.GetProperty("type").GetString());
        return chat.GetProperty("text").GetString()!;
    }

    [Fact]
    public async Task A_reader_that_reattaches_gets_exactly_the_messages_after_the_one_it_names()
    {
        var room = NewRoom();
        await using var ann = await server.JoinAsync(room, "Ann", "websocket");
        using var bob = await RawHttpSession.OpenAsync(server.BaseAddress);
        var first = await bob.StreamAsync(last: 0);
        Assert.Equal((1, "hello"), ((await first.ReadMessageAsync()) is var (id, hello) ? (id, hello.GetProperty("type").GetString()) : default));
        Assert.Equal(HttpStatusCode.NoContent, await bob.PostAsync(1, new { type = "join", protocol = 1, room, name = "Bob" }));
        Assert.Equal(2, (await first.ReadMessageAsync()).Id);
        await ann.ExpectAsync("participant-joined");
        await ChatAsync(ann, "c1");
        Assert.Equal((3, "c1"), (await first.ReadMessageAsync()) is var (i3, m3) ? (i3, Text(m3)) : default);

        first.Dispose(); // the network drops the stream
        await ChatAsync(ann, "c2");
        await ChatAsync(ann, "c3");

        // A reconnecting EventSource sends Last-Event-ID: 3 by itself.
        using (var second = await bob.StreamAsync(lastEventId: 3))
        {
            Assert.Equal((4, "c2"), (await second.ReadMessageAsync()) is var (i4, m4) ? (i4, Text(m4)) : default);
            Assert.Equal((5, "c3"), (await second.ReadMessageAsync()) is var (i5, m5) ? (i5, Text(m5)) : default);
            await ChatAsync(ann, "c4");
            Assert.Equal((6, "c4"), (await second.ReadMessageAsync()) is var (i6, m6) ? (i6, Text(m6)) : default);
        }

        // A new EventSource says ?last=4: 5 and 6 were sent but, as far as it knows, never arrived.
        using var third = await bob.StreamAsync(last: 4);
        Assert.Equal((5, "c3"), (await third.ReadMessageAsync()) is var (j5, n5) ? (j5, Text(n5)) : default);
        Assert.Equal((6, "c4"), (await third.ReadMessageAsync()) is var (j6, n6) ? (j6, Text(n6)) : default);
        await ChatAsync(ann, "c5");
        Assert.Equal((7, "c5"), (await third.ReadMessageAsync()) is var (j7, n7) ? (j7, Text(n7)) : default);
    }

    [Theory]
    [InlineData("sse")]
    [InlineData("long-poll")]
    public async Task A_reader_asking_for_messages_past_the_replay_window_is_reset_and_its_participant_resumes_on_a_new_session(string transport)
    {
        var room = NewRoom();
        await using var ann = await server.JoinAsync(room, "Ann", "websocket");
        await using var bob = (HttpSignalingClient)await server.JoinAsync(room, "Bob", transport);
        await ann.ExpectAsync("participant-joined");
        for (var i = 0; i < 12; i++)
        {
            await ChatAsync(ann, $"c{i}");
            await bob.ExpectAsync("chat"); // one at a time: each is delivered before the next, so none waits undelivered
        }

        Assert.Equal(14, bob.LastSeen); // hello, joined, 12 chats; the window holds the last 8 of them
        bob.Abort();
        await bob.Reader;

        using var http = HttpSignalingClient.NewHttp(server.BaseAddress);
        if (transport == "sse")
        {
            using var raw = new RawHttpSession(HttpSignalingClient.NewHttp(server.BaseAddress), bob.Session);
            using var stream = await raw.StreamAsync(lastEventId: 4);
            var reset = await stream.ReadAsync();
            Assert.Equal("reset", reset?.Event);
            Assert.Null(await stream.ReadAsync()); // and the stream ends
        }
        else
        {
            using var response = await http.GetAsync($"/signal/{bob.Session}/poll?last=4");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("reset").GetBoolean());
        }

        // The session is over; its participant is away, and resumes on a new one.
        using (var gone = await http.GetAsync($"/signal/{bob.Session}/poll?last=14"))
        {
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
            Assert.Equal("unknown-session", JsonDocument.Parse(await gone.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString());
        }

        Assert.Equal(bob.Id, (await ann.ExpectAsync("participant-away")).GetProperty("id").GetString());
        await using var back = await server.ConnectAsync(transport);
        var joined = await back.ResumeAsync(room, bob.Joined.GetProperty("resumeToken").GetString()!, "Bob");
        Assert.True(joined.GetProperty("resumed").GetBoolean());
        Assert.Equal(bob.Id, back.Id);
        Assert.True((await ann.ExpectAsync("participant-joined")).GetProperty("resumed").GetBoolean());
        await ChatAsync(ann, "welcome back");
        Assert.Equal("welcome back", Text(await back.ExpectAsync("chat")));
    }

    [Fact]
    public async Task A_newer_reader_ends_the_one_before_whichever_kind_each_is()
    {
        using var bob = await RawHttpSession.OpenAsync(server.BaseAddress);
        var transport = server.HttpSessions.Find(bob.Id, IPAddress.Loopback)!;
        using var first = await bob.StreamAsync(last: 0);
        Assert.Equal(1, (await first.ReadMessageAsync()).Id);

        using var second = await bob.StreamAsync(last: 1);
        Assert.Null(await first.ReadAsync()); // the first stream ends without a word

        var firstPoll = bob.PollAsync(1);
        await WaitForAsync(() => transport.Name == "long-poll");
        Assert.Null(await second.ReadAsync());
        var secondPoll = bob.PollAsync(1);
        Assert.Equal(HttpStatusCode.NoContent, (await firstPoll).Status);

        using var third = await bob.StreamAsync(last: 1);
        Assert.Equal(HttpStatusCode.NoContent, (await secondPoll).Status);
        Assert.Equal("sse", transport.Name);
        Assert.Equal(HttpStatusCode.NoContent, await bob.PostAsync(1, new { type = "ping", id = "still" }));
        Assert.Equal("still", (await third.ReadMessageAsync()).Message.GetProperty("id").GetString());
    }

    [Theory]
    [InlineData("sse")]
    [InlineData("long-poll")]
    public async Task A_session_without_requests_for_IdleSeconds_has_vanished_and_one_with_a_reader_open_has_not(string transport)
    {
        var room = NewRoom();
        await using var ann = await server.JoinAsync(room, "Ann", "websocket");
        // On an event stream: a long-polling client holds no request between two polls, and the fake clock could
        // jump over such an instant in this test, where real time never would.
        await using var quiet = await server.ConnectAsync("sse", answersHeartbeats: false);
        await quiet.JoinAsync(room, "Quiet");
        await using var bob = (HttpSignalingClient)await server.JoinAsync(room, "Bob", transport);
        await ann.ExpectAsync("participant-joined");
        await ann.ExpectAsync("participant-joined");
        var session = server.HttpSessions.Find(bob.Session, IPAddress.Loopback)!;
        var start = server.Time.GetTimestamp();

        await server.DropAsync(bob, ann);

        // Gone once 5 s passed with no request, at the next check (every 5/3 s).
        var noticed = server.Time.GetElapsedTime(start);
        Assert.InRange(noticed, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(7));
        Assert.True(session.Ended.IsCompleted);
        Assert.Equal(bob.Id, (await ann.ExpectAsync("participant-away")).GetProperty("id").GetString());
        using var http = HttpSignalingClient.NewHttp(server.BaseAddress);
        using (var gone = await http.GetAsync($"/signal/{bob.Session}/events"))
        {
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        }

        // Quiet has posted nothing since it joined (not even a pong), but its reader was open all along: it is still there.
        Assert.False(server.HttpSessions.Find(((HttpSignalingClient)quiet).Session, IPAddress.Loopback)?.Ended.IsCompleted ?? true);
        await quiet.ExpectAsync("participant-away");
        await quiet.DisposeAsync();
        await ann.ExpectAsync("participant-left");
        await server.AdvanceAsync(TimeSpan.FromSeconds(15), ann);
        server.Time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(bob.Id, (await ann.ExpectAsync("participant-left")).GetProperty("id").GetString());
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            await Task.Delay(5, timeout.Token);
        }
    }
}
