using Parley.Browser.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Parley.Browser.Tests;

/// <summary>Display names come from strangers: the page must show them as text, never parse them as HTML.</summary>
[Collection(BrowserTestGroup.Name)]
[Trait("Category", "Browser")]
public sealed class NameEscapingTests(BrowserSuite suite, ITestOutputHelper output)
{
    // 29 characters, within the server's 32: breaks out of a double-quoted attribute, then injects an element.
    private const string HtmlName = "\"><img src=x onerror=alert(1)>";

    [Fact]
    public async Task A_display_name_holding_html_is_shown_literally_and_injects_nothing()
    {
        await using var call = new CallScope(suite, output);
        var room = CallScope.NewRoom("escape");
        var opened = await Task.WhenAll(
            call.OpenAsync(BrowserSuite.AliceHz, room, "Alice"),
            call.OpenAsync(BrowserSuite.BobHz, room, HtmlName));
        var (alice, mallory) = (opened[0], opened[1]);
        await alice.JoinAsync();
        await mallory.JoinAsync();
        await alice.ExpectConnectedToAsync(mallory);

        foreach (var viewer in opened)
        {
            await Expect(viewer.Peers).ToHaveCountAsync(2);
            var entry = viewer.Peer(HtmlName);
            await Expect(entry).ToHaveCountAsync(1);
            await Expect(entry).ToHaveAttributeAsync("data-name", HtmlName);
            await Expect(entry.GetByText(HtmlName, new() { Exact = true })).ToHaveCountAsync(1);
            await Expect(viewer.Participants.Locator("img")).ToHaveCountAsync(0);
            await Expect(viewer.Page.Locator("img[src='x']")).ToHaveCountAsync(0);
            Assert.Empty(viewer.Dialogs);
        }
    }
}
