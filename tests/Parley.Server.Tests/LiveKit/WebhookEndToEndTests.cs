using Call = Parley.Server.Tests.LiveKit.RoomServiceNode.Call;

namespace Parley.Server.Tests.LiveKit;

/// <summary>
/// Webhooks from real joins, an admin API mute and removal, and a leave, each verified and parsed by the real
/// <c>WebhookReceiver</c> of livekit-server-sdk.
/// </summary>
public sealed class WebhookEndToEndTests
{
    [Fact]
    public async Task Joins_a_mute_a_removal_and_a_leave_reach_the_app_as_LiveKit_webhooks_in_order()
    {
        await using var rig = await WebhookRig.StartAsync();
        var server = rig.Server;
        await using var alice = await AdminApiTests.JoinAsync(server, "alice", WebhookRig.ApiKey, WebhookRig.Secret);
        await using var bob = await AdminApiTests.JoinAsync(server, "bob", WebhookRig.ApiKey, WebhookRig.Secret);
        await alice.ExpectAsync("participant-joined");

        var calls = await RoomServiceNode.CallAsync(server.BaseAddress, WebhookRig.ApiKey, WebhookRig.Secret,
            [new Call("mutePublishedTrack", "standup", "alice", "TR_" + alice.Id[2..], true), new Call("removeParticipant", "standup", "bob")]);
        Assert.All(calls, call => Assert.True(call.Ok, call.Message));
        await bob.ExpectAsync("participant-updated"); // alice's server mute
        await bob.ExpectErrorAsync("removed");
        await alice.SendAsync(new { type = "leave" });

        var caught = await rig.Catcher.WaitForAsync(8);
        var events = (await WebhookRig.ReceiveAsync(caught)).Select(result => result.Ok ? result.Event : throw new Xunit.Sdk.XunitException(result.Error)).ToList();

        Assert.Equal(
            ["room_started", "participant_joined", "participant_joined", "participant_muted", "participant_removed", "participant_left", "participant_left", "room_finished"],
            events.Select(e => e.GetProperty("event").GetString()));
        Assert.All(events, e => Assert.Equal("standup", e.GetProperty("room").GetProperty("name").GetString()));
        Assert.Single(events.Select(e => e.GetProperty("room").GetProperty("sid").GetString()).Distinct());
        Assert.Equal(["alice", "bob", "alice", "bob", "bob", "alice"], events.Skip(1).Take(6).Select(e => e.GetProperty("participant").GetProperty("identity").GetString()));
        Assert.Equal(alice.Id, events[1].GetProperty("participant").GetProperty("sid").GetString());
        Assert.True(events[3].GetProperty("track").GetProperty("muted").GetBoolean());
        Assert.Equal("PARTICIPANT_REMOVED", events[5].GetProperty("participant").GetProperty("disconnectReason").GetString());
        Assert.Equal("CLIENT_INITIATED", events[6].GetProperty("participant").GetProperty("disconnectReason").GetString());
        Assert.Equal(0, events[7].GetProperty("room").GetProperty("numParticipants").GetInt32());
    }
}
