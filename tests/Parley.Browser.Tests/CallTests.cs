using Parley.Browser.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Parley.Browser.Tests;

/// <summary>People join a room through the page and hear each other: measured, not assumed.</summary>
[Collection(BrowserTestGroup.Name)]
[Trait("Category", "Browser")]
public sealed class CallTests(BrowserSuite suite, ITestOutputHelper output)
{
    [Fact]
    public async Task Two_participants_see_each_other_connect_and_hear_each_others_tone()
    {
        await using var call = new CallScope(suite, output);
        var both = await call.JoinAsync(CallScope.NewRoom("two"), 2);
        var (alice, bob) = (both[0], both[1]);

        foreach (var (listener, remote) in new[] { (alice, bob), (bob, alice) })
        {
            await Expect(listener.Peers).ToHaveCountAsync(2);
            await Expect(listener.Self).ToHaveAttributeAsync("data-name", listener.Name);
            await Expect(listener.Peer(remote.Name)).Not.ToHaveAttributeAsync("data-self", "true");
            await listener.ExpectConnectedToAsync(remote);
            await Expect(listener.Peer(remote.Name)).ToHaveAttributeAsync("data-muted", "false");
            await Expect(listener.Peer(remote.Name)).ToHaveAttributeAsync("data-speaking", "true");
        }

        await Task.WhenAll(alice.WaitToHearAsync(bob), bob.WaitToHearAsync(alice));
    }

    /// <summary>
    /// The call view shows who speaks without an animation that never ends: one that repaints every frame for as long
    /// as someone speaks (the speaking pulse once did) costs a page about a quarter of a core (docs/benchmarks.md,
    /// "The page in a call").
    /// </summary>
    [Fact]
    public async Task A_speaking_participant_s_page_runs_no_endless_animation()
    {
        await using var call = new CallScope(suite, output);
        var alice = (await call.JoinAsync(CallScope.NewRoom("still"), 1))[0];
        await Expect(alice.Self).ToHaveAttributeAsync("data-speaking", "true");

        var endless = await alice.Page.EvaluateAsync<string[]>("""
            () => document.getAnimations()
              .filter(a => a.playState === 'running' && a.effect.getComputedTiming().iterations === Infinity)
              .map(a => `${a.animationName ?? a.constructor.name} on ${a.effect.target?.className ?? a.effect.target?.tagName}`)
            """);
        Assert.Empty(endless);
    }

    [Fact]
    public async Task Three_participants_each_hear_both_others_at_their_own_frequency()
    {
        await using var call = new CallScope(suite, output);
        var everyone = await call.JoinAsync(CallScope.NewRoom("three"), 3);

        foreach (var listener in everyone)
        {
            await Expect(listener.Peers).ToHaveCountAsync(3);
        }

        await CallScope.ExpectAllConnectedAsync(everyone);

        await Task.WhenAll(everyone.Select(listener => listener.WaitToHearAsync([.. everyone.Where(p => p != listener)])));
    }
}
