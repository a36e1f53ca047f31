using System.Net.WebSockets;
using Parley.Access;
using Parley.Signaling.Protocol;

namespace Parley.Server.Tests;

/// <summary>
/// A room whose participants use all three transports (a moderator on an event stream, Bob long polling, Cy on a
/// WebSocket) are ordinary room mates: every message kind, relays across transports, and moderation.
/// </summary>
public sealed class HttpMixedRoomTests
{
    private const string Key = "APImixed";
    private static readonly string Secret = new('m', 40);

    private static string Mint(ParleyServer server, string identity, bool admin = false) =>
        new AccessTokenMinter(server.Time).Mint(Key, Secret, identity, identity.ToUpperInvariant(), null,
            new VideoGrant { RoomJoin = true, Room = "mixed", RoomAdmin = admin, CanUpdateOwnMetadata = true }, TimeSpan.FromHours(1));

    [Fact]
    public async Task Participants_on_three_transports_relay_chat_moderate_and_leave_as_room_mates()
    {
        using var server = new ParleyServer(new() { [$"Auth:Keys:{Key}"] = Secret });
        await using var mod = await HttpSignalingClient.ConnectAsync(server.BaseAddress, "sse", accessToken: Mint(server, "mod", admin: true), bearer: true);
        await mod.JoinWithAsync(new { type = "join", protocol = 1 });
        await using var bob = await server.ConnectAsync("long-poll");
        await bob.JoinWithAsync(new { type = "join", protocol = 1, token = Mint(server, "bob") });
        await using var cy = await server.ConnectAsync("websocket");
        await cy.JoinWithAsync(new { type = "join", protocol = 1, token = Mint(server, "cy") });
        Assert.Equal(2, cy.Joined.GetProperty("participants").GetArrayLength());
        await mod.ExpectAsync("participant-joined");
        await mod.ExpectAsync("participant-joined");
        await bob.ExpectAsync("participant-joined");

        // Negotiation across transports, both ways.
        await cy.SendAsync(new { type = "offer", to = bob.Id, sdp = "v=0\r\ncy-offer" });
        Assert.Equal(cy.Id, (await bob.ExpectAsync("offer")).GetProperty("from").GetString());
        await bob.SendAsync(new { type = "answer", to = cy.Id, sdp = "v=0\r\nbob-answer" });
        Assert.Equal("v=0\r\nbob-answer", (await cy.ExpectAsync("answer")).GetProperty("sdp").GetString());
        await bob.SendAsync(new { type = "candidate", to = cy.Id, candidate = new { candidate = "candidate:1 1 udp 1 127.0.0.1 9 typ host", sdpMid = "0", sdpMLineIndex = 0 } });
        Assert.Equal(bob.Id, (await cy.ExpectAsync("candidate")).GetProperty("from").GetString());
        await cy.SendAsync(new { type = "candidate", to = bob.Id, candidate = (object?)null });
        Assert.Equal(cy.Id, (await bob.ExpectAsync("candidate")).GetProperty("from").GetString());

        // State, chat and a changed name reach the others whatever carries them.
        await bob.SendAsync(new { type = "state", speaking = true });
        Assert.True((await cy.ExpectAsync("participant-state")).GetProperty("speaking").GetBoolean());
        Assert.True((await mod.ExpectAsync("participant-state")).GetProperty("speaking").GetBoolean());
        await cy.SendAsync(new { type = "chat", text = "hi all" });
        foreach (var reader in new ISignalingTestClient[] { mod, bob, cy })
        {
            Assert.Equal(cy.Id, (await reader.ExpectAsync("chat")).GetProperty("from").GetString());
        }

        await bob.SendAsync(new { type = "update-self", name = "Bobby" });
        foreach (var reader in new ISignalingTestClient[] { mod, bob, cy })
        {
            Assert.Equal("Bobby", (await reader.ExpectAsync("participant-updated")).GetProperty("participant").GetProperty("name").GetString());
        }

        // Moderation from the event stream, reaching long polls and the WebSocket.
        await mod.SendAsync(new { type = "mute-participant", id = bob.Id, muted = true });
        Assert.True((await cy.ExpectAsync("participant-updated")).GetProperty("participant").GetProperty("serverMuted").GetBoolean());
        await bob.ExpectAsync("participant-updated");
        await bob.SendAsync(new { type = "state", muted = false });
        await bob.ExpectErrorAsync(ErrorCode.Forbidden);
        await mod.SendAsync(new { type = "mute-all" });
        Assert.Equal(cy.Id, (await bob.ExpectAsync("participant-updated")).GetProperty("participant").GetProperty("id").GetString());
        await mod.SendAsync(new { type = "lock-room", locked = true });
        Assert.True((await bob.ExpectAsync("room-updated")).GetProperty("locked").GetBoolean());
        Assert.True((await cy.ExpectAsync("room-updated")).GetProperty("locked").GetBoolean());

        await mod.SendAsync(new { type = "remove-participant", id = cy.Id });
        var cyGot = await cy.ReadUntilClosedAsync();
        Assert.Equal(ErrorCode.Removed, cyGot[^1].GetProperty("code").GetString());
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, cy.CloseStatus);
        var removed = await bob.ExpectAsync("participant-left");
        Assert.Equal((cy.Id, ParticipantLeftMessage.ReasonRemoved), (removed.GetProperty("id").GetString(), removed.GetProperty("reason").GetString()));

        Assert.Equal(cy.Id, (await mod.ExpectAsync("participant-left")).GetProperty("id").GetString());

        // peer-lost about a room mate that answers: nothing happens; then Bob leaves, and the moderator hears why.
        await mod.SendAsync(new { type = "peer-lost", id = bob.Id });
        await bob.SendAsync(new { type = "leave" });
        var left = await mod.ExpectAsync("participant-left");
        Assert.Equal((bob.Id, ParticipantLeftMessage.ReasonLeft), (left.GetProperty("id").GetString(), left.GetProperty("reason").GetString()));
        await mod.AssertAliveAsync();
    }
}
