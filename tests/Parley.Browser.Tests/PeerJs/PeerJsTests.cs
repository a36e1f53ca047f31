using System.Globalization;
using System.Security.Cryptography;
using Parley.Browser.Tests.Infrastructure;
using Parley.Tests.Shared;
using Xunit.Abstractions;

namespace Parley.Browser.Tests.PeerJs;

/// <summary>
/// A PeerJS app (the npm <c>peerjs</c> 1.5.5 client in real Chromium pages) against Parley's <c>/peerjs</c> and, as the
/// control, against peerjs-server itself (npm <c>peer</c> 1.0.2): each test is written once and runs against both
/// (docs/protocol.md, "PeerJS compatibility").
/// </summary>
[Collection(BrowserTestGroup.Name)]
[Trait("Category", "Browser")]
public sealed class PeerJsTests(BrowserSuite suite, ITestOutputHelper output)
{
    public const string Parley = "parley";
    public const string Reference = "peerjs-server";

    private const string AppPath = "/peerjs-app/";

    [Theory]
    [InlineData(Parley)]
    [InlineData(Reference)]
    public async Task A_media_call_with_peer_call_and_call_answer_is_heard_both_ways(string server)
    {
        await using var peerServer = await PeerServerAsync(server);
        await using var call = new CallScope(suite, output);
        string aliceId = NewId("alice"), bobId = NewId("bob");
        var alice = await OpenAppAsync(call, BrowserSuite.AliceHz, aliceId, peerServer.Port, callee: bobId);
        var bob = await OpenAppAsync(call, BrowserSuite.BobHz, bobId, peerServer.Port);
        await StartAsync(bob);
        await StartAsync(alice);

        alice.Log($"click Call {bobId}");
        await alice.Page.ClickAsync("#call");
        await Task.WhenAll(alice.WaitToHearAsync(bob), bob.WaitToHearAsync(alice));
    }

    [Theory]
    [InlineData(Parley)]
    [InlineData(Reference)]
    public async Task A_second_peer_with_the_same_id_and_another_token_gets_unavailable_id(string server)
    {
        await using var peerServer = await PeerServerAsync(server);
        await using var call = new CallScope(suite, output);
        var id = NewId("taken");
        var first = await OpenAppAsync(call, BrowserSuite.AliceHz, id, peerServer.Port, token: "first-token");
        await StartAsync(first);

        var second = await OpenAppAsync(call, BrowserSuite.BobHz, id, peerServer.Port, token: "other-token");
        second.Log("click Start");
        await second.Page.ClickAsync("#start");
        await Expect(Status(second)).ToHaveAttributeAsync("data-error", "unavailable-id");
        await Expect(Status(second)).ToHaveAttributeAsync("data-open", "");
        await Expect(Status(first)).ToHaveAttributeAsync("data-error", "");
    }

    [Theory]
    [InlineData(Parley)]
    [InlineData(Reference)]
    public async Task Calling_an_id_no_one_holds_yields_peer_unavailable(string server)
    {
        await using var peerServer = await PeerServerAsync(server);
        await using var call = new CallScope(suite, output);
        var alice = await OpenAppAsync(call, BrowserSuite.AliceHz, NewId("alice"), peerServer.Port, callee: NewId("nobody"));
        await StartAsync(alice);

        alice.Log("click Call (no one holds that id)");
        await alice.Page.ClickAsync("#call");
        // EXPIRE comes 5 s after the offer (peerjs-server checks every second: up to 6 s).
        await Expect(Status(alice)).ToHaveAttributeAsync("data-error", "peer-unavailable", new() { Timeout = 15_000 });
    }

    private static ILocator Status(Participant participant) => participant.Page.Locator("#status");

    private static string NewId(string prefix) => $"{prefix}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";

    private static async Task StartAsync(Participant participant)
    {
        participant.Log("click Start");
        await participant.Page.ClickAsync("#start");
        await Expect(Status(participant)).ToHaveAttributeAsync("data-open", participant.Name);
        participant.Log("open");
    }

    /// <summary>The server the PeerJS pages use: Parley (the suite's, open mode) or a fresh peerjs-server.</summary>
    private async Task<IPeerServer> PeerServerAsync(string server) => server switch
    {
        Parley => new ParleyPeerServer(suite.Server.BaseAddress.Port),
        Reference => new ReferencePeerServer(await PeerJsReferenceServer.StartAsync(), output),
        _ => throw new ArgumentOutOfRangeException(nameof(server)),
    };

    /// <summary>
    /// Opens the PeerJS app on the Parley origin (Playwright serves it and peerjs.min.js from tests/interop), talking to
    /// the PeerJS server on <paramref name="port"/>. The participant's name is its PeerJS id, which the page shows.
    /// </summary>
    private Task<Participant> OpenAppAsync(CallScope call, int toneHz, string id, int port, string? callee = null, string? token = null)
    {
        var query = string.Create(CultureInfo.InvariantCulture, $"host=127.0.0.1&port={port}&id={Uri.EscapeDataString(id)}");
        query += callee is null ? "" : "&call=" + Uri.EscapeDataString(callee);
        query += token is null ? "" : "&token=" + Uri.EscapeDataString(token);
        var page = new Uri(suite.Server.BaseAddress, AppPath + "index.html?" + query);
        return call.OpenAsync(toneHz, page, id, context => ServeAppAsync(context));
    }

    /// <summary>
    /// Serves the app under <see cref="AppPath"/>. A page Playwright fulfils has no server address, so Chromium's Local
    /// Network Access counts it as public and would block its sockets to 127.0.0.1: the context is granted that access,
    /// as a user would grant it to an app served from elsewhere.
    /// </summary>
    private static async Task ServeAppAsync(IBrowserContext context)
    {
        await context.GrantPermissionsAsync(["microphone", "local-network-access"]);
        await context.RouteAsync(
            url => new Uri(url).AbsolutePath.StartsWith(AppPath, StringComparison.Ordinal),
            route => new Uri(route.Request.Url).AbsolutePath switch
            {
                AppPath + "index.html" => route.FulfillAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "PeerJs", "peerjs-app.html"), ContentType = "text/html" }),
                AppPath + "peerjs.min.js" => route.FulfillAsync(new()
                {
                    Path = Path.Combine(InteropNode.Directory, "node_modules", "peerjs", "dist", "peerjs.min.js"),
                    ContentType = "text/javascript",
                }),
                _ => route.FulfillAsync(new() { Status = 404 }),
            });
    }

    private interface IPeerServer : IAsyncDisposable
    {
        int Port { get; }
    }

    private sealed class ParleyPeerServer(int port) : IPeerServer
    {
        public int Port => port;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private sealed class ReferencePeerServer(PeerJsReferenceServer server, ITestOutputHelper output) : IPeerServer
    {
        public int Port => server.Port;

        public async ValueTask DisposeAsync()
        {
            output.WriteLine("peerjs-server output:\n" + server.Output);
            await server.DisposeAsync();
        }
    }
}
