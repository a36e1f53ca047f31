using Parley.Browser.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Parley.Browser.Tests;

/// <summary>Room text chat: everyone sees each message with the sender's name and time, always as text.</summary>
[Collection(BrowserTestGroup.Name)]
[Trait("Category", "Browser")]
public sealed class ChatTests(BrowserSuite suite, ITestOutputHelper output)
{
    [Fact]
    public async Task A_message_containing_HTML_arrives_at_everyone_as_literal_text_with_name_and_time()
    {
        await using var call = new CallScope(suite, output);
        var everyone = await call.JoinAsync(CallScope.NewRoom("chat"), 2);
        var (alice, bob) = (everyone[0], everyone[1]);
        await Expect(bob.Peers).ToHaveCountAsync(2);

        const string Html = "<img src=x onerror=\"document.title='pwned'\"><b>bold</b> & <script>alert(1)</script>";
        await alice.SendChatAsync(Html);
        await Expect(alice.MessageBox).ToHaveValueAsync("");

        foreach (var reader in everyone)
        {
            var message = reader.ChatLog.Locator("li").Last;
            await Expect(message.Locator(".chat-text")).ToHaveTextAsync(Html);
            await Expect(message.Locator(".chat-name")).ToHaveTextAsync("Alice");
            await Expect(message.Locator("time")).ToHaveAttributeAsync("datetime", new System.Text.RegularExpressions.Regex(@"^\d{4}-\d\d-\d\dT"));
            await Expect(reader.ChatLog.Locator("img, b, script")).ToHaveCountAsync(0);
            Assert.NotEqual("pwned", await reader.Page.TitleAsync());
            Assert.Empty(reader.Dialogs);
        }

        await bob.SendChatAsync("hi Alice");
        await Expect(alice.ChatLog.Locator("li")).ToHaveCountAsync(2);
        await Expect(alice.ChatLog.Locator("li").Last.Locator(".chat-name")).ToHaveTextAsync("Bob");
    }
}
