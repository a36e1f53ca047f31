using System.Text.RegularExpressions;
using Parley.Browser.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Parley.Browser.Tests;

/// <summary>Joins that cannot succeed tell the person why, in the page's role=alert element.</summary>
[Collection(BrowserTestGroup.Name)]
[Trait("Category", "Browser")]
public sealed class JoinErrorTests(BrowserSuite suite, ITestOutputHelper output)
{
    [Fact]
    public async Task Joining_a_full_room_says_the_room_is_full_and_leaves_the_others_alone()
    {
        await using var smallRooms = await ParleyServer.StartAsync("--Signaling:MaxParticipantsPerRoom=2");
        await using var call = new CallScope(suite, output);
        var room = CallScope.NewRoom("full");
        var opened = await Task.WhenAll(
            call.OpenAsync(smallRooms, BrowserSuite.AliceHz, room, "Alice"),
            call.OpenAsync(smallRooms, BrowserSuite.BobHz, room, "Bob"),
            call.OpenAsync(smallRooms, BrowserSuite.CarolHz, room, "Carol"));
        var (alice, bob, carol) = (opened[0], opened[1], opened[2]);
        await alice.JoinAsync();
        await bob.JoinAsync();

        await carol.ClickJoinAsync();
        await Expect(carol.Alert).ToContainTextAsync(new Regex("full", RegexOptions.IgnoreCase));
        await Expect(carol.LeaveButton).ToBeHiddenAsync();
        await Expect(carol.JoinButton).ToBeVisibleAsync();
        foreach (var member in new[] { alice, bob })
        {
            await Expect(member.Peers).ToHaveCountAsync(2);
            await Expect(member.Peer(carol.Name)).ToHaveCountAsync(0);
            await Expect(member.Alert).ToHaveCountAsync(0);
        }
    }

    [Theory]
    [InlineData("bad/room")]
    [InlineData("two  spaces")]
    [InlineData("<b>room</b>")]
    public async Task Joining_a_room_with_an_invalid_name_shows_an_error(string roomName)
    {
        await using var call = new CallScope(suite, output);
        var alice = await call.OpenAsync(BrowserSuite.AliceHz, roomName, "Alice");

        await alice.ClickJoinAsync();
        await Expect(alice.Alert).ToContainTextAsync(new Regex("room", RegexOptions.IgnoreCase));
        await Expect(alice.LeaveButton).ToBeHiddenAsync();
        await Expect(alice.Self).ToHaveCountAsync(0);
        await Expect(alice.JoinButton).ToBeVisibleAsync();
    }
}
