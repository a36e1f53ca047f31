namespace Parley.Browser.Tests.Infrastructure;

/// <summary>What the page shows about its own connection to the server, and ways of going away.</summary>
public sealed partial class Participant
{
    /// <summary>The page's banner while the server is unreachable (page contract: id and data-signaling).</summary>
    public ILocator ConnectionBanner => Page.Locator("#connection-banner");

    /// <summary>Connection details: what carries signaling, in <c>data-transport</c> (websocket, sse, long-poll).</summary>
    public ILocator SignalingTransport => Page.Locator("#signaling-transport");

    /// <summary>The participant ids of the list, in order (self first).</summary>
    public async Task<IReadOnlyList<string>> PeerIdsAsync() =>
        [.. (await Peers.EvaluateAllAsync<string[]>("nodes => nodes.map(n => n.getAttribute('data-peer'))")).Order(StringComparer.Ordinal)];

    /// <summary>Closes the tab without its beforeunload handlers, as a crash or a killed browser tab does.</summary>
    public async Task ClosePageAbruptlyAsync()
    {
        Log("close the tab abruptly (no beforeunload)");
        await Page.CloseAsync(new() { RunBeforeUnload = false });
    }

    /// <summary>Closes this participant's whole browser context (all its pages and connections).</summary>
    public async Task CloseContextAsync()
    {
        Log("close the browser context");
        await context.CloseAsync();
    }
}
