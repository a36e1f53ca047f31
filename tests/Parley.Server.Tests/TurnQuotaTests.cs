using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Parley.Server.Hosting;
using Parley.Signaling;
using Parley.Stun;
using Parley.Turn;
using Parley.Turn.Tests;

namespace Parley.Server.Tests;

/// <summary>
/// Turn:MaxAllocationsPerUser follows the room size: a browser in a full mesh allocates once per TURN URI for each
/// of its peer connections, so a participant of a full room needs (N − 1) × URIs, with room for ICE restarts.
/// </summary>
public sealed class TurnQuotaTests
{
    /// <summary>
    /// With the credential signaling hands the last participant of a full room (16 by default), every allocation its
    /// mesh needs succeeds, each from a 5-tuple of its own as a browser's peer connections make them: one per peer
    /// over UDP (a socket each) and one per peer over TCP (a connection each). So does the ICE restart headroom, and
    /// the one past the resolved quota is refused with 486. With the old fixed quota of 10, the 11th failed.
    /// </summary>
    [Fact]
    public async Task A_participant_of_a_full_room_gets_a_relay_for_every_peer_over_udp_and_tcp_and_486_past_its_quota()
    {
        var (server, port) = TurnIceServerTests.StartWithTurn(new()
        {
            ["Turn:RelayAddress"] = "127.0.0.1",
            // The server's clock is a FakeTimeProvider that stands still, so the per-address budget of 401s (which
            // every first Allocate draws) would never refill; the budget is not what this test is about.
            ["Turn:ErrorRepliesPerSecond"] = "10000",
        });
        using var _ = server;
        const int RoomSize = 16; // Signaling:MaxParticipantsPerRoom's default
        Assert.Equal(RoomSize, server.Services.GetRequiredService<IOptions<SignalingOptions>>().Value.MaxParticipantsPerRoom);
        var room = new List<SignalingClient>();
        List<TurnSocketClient> sockets = [];
        try
        {
            for (var i = 0; i < RoomSize; i++)
            {
                room.Add(await server.JoinAsync("full", $"P{i}"));
            }

            var turn = TurnIceServerTests.IceServers(room[^1])[1];
            Assert.Equal(2, turn.Urls.Length); // UDP and TCP, no TLS configured
            var quota = server.Services.GetRequiredService<IOptions<TurnOptions>>().Value.MaxAllocationsPerUser;
            Assert.Equal((RoomSize - 1) * 2 * 2, quota);
            var endPoint = new IPEndPoint(IPAddress.Loopback, port);
            var relayed = new HashSet<string>();

            // The mesh: a relay per peer over each URI, then the ICE restart headroom, alternating UDP and TCP.
            for (var i = 0; i < quota; i++)
            {
                var client = await TurnSocketClient.ConnectAsync(endPoint, tcp: i % 2 == 1);
                sockets.Add(client);
                var answer = await client.AllocateAsync(turn.Username!, turn.Credential!);
                Assert.True(answer.Class == StunClass.SuccessResponse,
                    $"allocation {i + 1} of {quota} ({(i % 2 == 1 ? "tcp" : "udp")}) was refused with {answer.Error}");
                Assert.True(relayed.Add(answer.Relayed!.Value.ToString()), "every allocation relays from a port of its own");
            }

            foreach (var tcp in (bool[])[false, true])
            {
                var past = await TurnSocketClient.ConnectAsync(endPoint, tcp);
                sockets.Add(past);
                Assert.Equal(StunErrorCode.AllocationQuotaReached, (await past.AllocateAsync(turn.Username!, turn.Credential!)).Error);
            }

            // The quota is the participant's own: another participant of the room still allocates.
            var other = TurnIceServerTests.IceServers(room[0])[1];
            var another = await TurnSocketClient.ConnectAsync(endPoint, tcp: false);
            sockets.Add(another);
            Assert.Equal(StunClass.SuccessResponse, (await another.AllocateAsync(other.Username!, other.Credential!)).Class);
        }
        finally
        {
            sockets.ForEach(s => s.Dispose());
            foreach (var client in room)
            {
                await client.DisposeAsync();
            }
        }
    }

    /// <summary>The automatic quota: (Signaling:MaxParticipantsPerRoom − 1) × TURN URIs handed out × 2; a configured value wins.</summary>
    [Theory]
    [InlineData(16, false, null, 60)]
    [InlineData(16, true, null, 90)]
    [InlineData(4, false, null, 12)]
    [InlineData(256, true, null, 1530)]
    [InlineData(16, false, 10, 10)]
    [InlineData(2, true, 500, 500)]
    public void The_automatic_quota_follows_the_room_size_and_the_turn_uris_and_a_configured_one_wins(
        int roomSize, bool tls, int? configured, int expected)
    {
        var configuration = new ConfigurationBuilder().Build();
        var turn = new TurnOptions { MaxAllocationsPerUser = configured, CertificatePath = tls ? "turn.pfx" : null };
        new TurnAllocationQuota(Options.Create(new SignalingOptions { MaxParticipantsPerRoom = roomSize }), configuration)
            .PostConfigure(Options.DefaultName, turn);

        Assert.Equal(expected, turn.MaxAllocationsPerUser);
        Assert.Equal(tls ? 3 : 2, TurnIceServerProvider.TurnUris("h", turn, tls).Count);
    }

    /// <summary>The TURN server alone (no host to size it) uses what the host resolves for its defaults.</summary>
    [Fact]
    public void The_turn_servers_own_automatic_quota_is_the_hosts_default()
    {
        Assert.Equal(TurnOptions.AutomaticMaxAllocationsPerUser, TurnAllocationQuota.ForRoom(new SignalingOptions().MaxParticipantsPerRoom, 2));
    }
}
