namespace Parley.Server.Tests;

public sealed class ChatTests
{
    [Theory, ClassData(typeof(AllTransports))]
    public async Task A_chat_message_reaches_everyone_in_the_room_with_author_and_time_and_stays_text(string transport)
    {
        using var server = new ParleyServer();
        await using var ann = await server.JoinAsync("chat", "Ann", transport);
        await using var bob = await server.JoinAsync("chat", "Bob", transport);
        await using var eve = await server.JoinAsync("other", "Eve", transport);
        await ann.ExpectAsync("participant-joined");
        var html = "<img src=x onerror=alert(1)> & <b>hi</b>";

        await ann.SendAsync(new { type = "chat", text = html, from = eve.Id, name = "Mallory" });

        foreach (var reader in new[] { ann, bob })
        {
            var chat = await reader.ExpectAsync("chat");
            Assert.Equal(ann.Id, chat.GetProperty("from").GetString());
            Assert.Equal("Ann", chat.GetProperty("name").GetString());
            Assert.Equal(html, chat.GetProperty("text").GetString());
            Assert.Equal(server.Time.GetUtcNow().UtcDateTime, chat.GetProperty("time").GetDateTime().ToUniversalTime(), TimeSpan.FromSeconds(1));
        }

        await eve.AssertAliveAsync();
    }

    [Theory, ClassData(typeof(AllTransports))]
    public async Task Chat_limits_length_and_rate_and_needs_a_room(string transport)
    {
        using var server = new ParleyServer(new() { ["Signaling:MaxChatLength"] = "10", ["Signaling:ChatBurst"] = "2", ["Signaling:ChatMessagesPerMinute"] = "6" });
        await using var lurker = await server.ConnectAsync(transport);
        await lurker.SendAsync(new { type = "chat", text = "hi" });
        Assert.Equal("chat", (await lurker.ExpectErrorAsync("not-joined")).GetProperty("ref").GetString());

        await using var ann = await server.JoinAsync("chat", "Ann", transport);
        Assert.Equal(10, ann.Hello.GetProperty("limits").GetProperty("maxChatLength").GetInt32());
        await ann.SendAsync(new { type = "chat", text = "eleven char" });
        await ann.ExpectErrorAsync("invalid-message");
        await ann.SendAsync(new { type = "chat", text = "   " });
        await ann.ExpectErrorAsync("invalid-message");

        await ann.SendAsync(new { type = "chat", text = "one" });
        await ann.ExpectAsync("chat");
        await ann.SendAsync(new { type = "chat", text = "two" });
        await ann.ExpectAsync("chat");
        await ann.SendAsync(new { type = "chat", text = "three" });
        Assert.Equal("chat", (await ann.ExpectErrorAsync("rate-exceeded")).GetProperty("ref").GetString());

        // Six a minute: one more after ten seconds.
        server.Time.Advance(TimeSpan.FromSeconds(10));
        await ann.SendAsync(new { type = "chat", text = "four" });
        Assert.Equal("four", (await ann.ExpectAsync("chat")).GetProperty("text").GetString());
    }
}
