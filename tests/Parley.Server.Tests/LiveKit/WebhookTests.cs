using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Parley.Compat.LiveKit.Webhooks;
using Parley.Signaling.Rooms;

namespace Parley.Server.Tests.LiveKit;

/// <summary>
/// LiveKit-format webhooks from a real server to a real loopback receiver, each request checked by the real
/// <c>WebhookReceiver</c> of livekit-server-sdk: signature, body hash, and the event it parses.
/// </summary>
public sealed class WebhookTests
{
    [Fact]
    public async Task Every_event_is_verified_and_parsed_by_livekit_server_sdks_WebhookReceiver()
    {
        await using var rig = await WebhookRig.StartAsync();
        var alice = Snapshots.Speaker("p_Alice0000001", "alice", "Alice");
        var bob = Snapshots.Listener("p_Bob000000002", "bob", "Bob");
        var mutedAlice = alice with { Muted = true, ServerMuted = true };
        var createdAt = rig.Now.ToUnixTimeSeconds();

        rig.Events.RoomStarted(Snapshots.Room("standup"));
        rig.Events.ParticipantJoined(Snapshots.Room("standup", 1), alice);
        rig.Events.ParticipantJoined(Snapshots.Room("standup", 2), bob);
        rig.Events.ParticipantMuted(Snapshots.Room("standup", 2), mutedAlice);
        rig.Events.ParticipantRemoved(Snapshots.Room("standup", 2), mutedAlice);
        rig.Events.ParticipantLeft(Snapshots.Room("standup", 1), mutedAlice, "removed");
        rig.Events.ParticipantLeft(Snapshots.Room("standup", 0), bob, "left");
        rig.Events.RoomFinished(Snapshots.Room("standup", 0, metadata: "{\"topic\":\"daily\"}"));

        var caught = await rig.Catcher.WaitForAsync(8);
        var results = await WebhookRig.ReceiveAsync(caught);

        Assert.All(results, result => Assert.True(result.Ok, result.Error));
        var events = results.Select(result => result.Event).ToList();
        Assert.Equal(
            ["room_started", "participant_joined", "participant_joined", "participant_muted", "participant_removed", "participant_left", "participant_left", "room_finished"],
            events.Select(e => e.GetProperty("event").GetString()));
        Assert.All(caught, request =>
        {
            Assert.Equal("/hooks/livekit", request.Path);
            Assert.Equal("application/webhook+json", request.ContentType);
            Assert.DoesNotContain(" ", request.Authorization, StringComparison.Ordinal); // a bare JWT, no "Bearer"
        });
        Assert.Equal(8, events.Select(e => e.GetProperty("id").GetString()).Distinct().Count());
        Assert.All(events, e =>
        {
            Assert.Matches("^EV_[0-9A-Za-z]{12}$", e.GetProperty("id").GetString());
            Assert.Equal(createdAt.ToString(System.Globalization.CultureInfo.InvariantCulture), e.GetProperty("createdAt").GetString());
            var room = e.GetProperty("room");
            Assert.Equal("RM_STANDUPXXXXX", room.GetProperty("sid").GetString());
            Assert.Equal("standup", room.GetProperty("name").GetString());
            Assert.Equal(300, room.GetProperty("emptyTimeout").GetInt32());
            Assert.Equal(16, room.GetProperty("maxParticipants").GetInt32());
            Assert.Equal("1777888800", room.GetProperty("creationTime").GetString());
            Assert.Equal("1777888800123", room.GetProperty("creationTimeMs").GetString());
        });
        Assert.Equal(2, events[2].GetProperty("room").GetProperty("numParticipants").GetInt32());
        Assert.Equal("{\"topic\":\"daily\"}", events[7].GetProperty("room").GetProperty("metadata").GetString());
        Assert.False(events[0].TryGetProperty("participant", out _));

        var joined = events[1].GetProperty("participant");
        Assert.Equal("p_Alice0000001", joined.GetProperty("sid").GetString());
        Assert.Equal("alice", joined.GetProperty("identity").GetString());
        Assert.Equal("Alice", joined.GetProperty("name").GetString());
        Assert.Equal("{\"team\":\"blue\"}", joined.GetProperty("metadata").GetString());
        Assert.Equal("ACTIVE", joined.GetProperty("state").GetString());
        Assert.Equal("1777888805", joined.GetProperty("joinedAt").GetString());
        Assert.True(joined.GetProperty("isPublisher").GetBoolean());
        var microphone = Assert.Single(joined.GetProperty("tracks").EnumerateArray());
        Assert.Equal("TR_Alice0000001", microphone.GetProperty("sid").GetString());
        Assert.Equal("AUDIO", microphone.GetProperty("type").GetString());
        Assert.Equal("MICROPHONE", microphone.GetProperty("source").GetString());
        Assert.Equal("microphone", microphone.GetProperty("name").GetString());
        Assert.False(microphone.GetProperty("muted").GetBoolean());
        var permission = joined.GetProperty("permission");
        Assert.True(permission.GetProperty("canPublish").GetBoolean());
        Assert.True(permission.GetProperty("canSubscribe").GetBoolean());
        Assert.True(permission.GetProperty("canPublishData").GetBoolean());

        var listener = events[2].GetProperty("participant");
        Assert.Equal("bob", listener.GetProperty("identity").GetString());
        Assert.Empty(listener.GetProperty("tracks").EnumerateArray()); // may not publish: no microphone track
        Assert.False(listener.GetProperty("isPublisher").GetBoolean());
        Assert.False(listener.GetProperty("permission").GetProperty("canPublish").GetBoolean());
        Assert.False(listener.GetProperty("permission").GetProperty("canPublishData").GetBoolean());
        Assert.True(listener.GetProperty("permission").GetProperty("canSubscribe").GetBoolean());

        var muted = events[3];
        Assert.True(Assert.Single(muted.GetProperty("participant").GetProperty("tracks").EnumerateArray()).GetProperty("muted").GetBoolean());
        Assert.Equal("TR_Alice0000001", muted.GetProperty("track").GetProperty("sid").GetString());
        Assert.True(muted.GetProperty("track").GetProperty("muted").GetBoolean());

        Assert.Equal("alice", events[4].GetProperty("participant").GetProperty("identity").GetString());
        var removed = events[5].GetProperty("participant");
        Assert.Equal("DISCONNECTED", removed.GetProperty("state").GetString());
        Assert.Equal("PARTICIPANT_REMOVED", removed.GetProperty("disconnectReason").GetString());
        Assert.Equal("CLIENT_INITIATED", events[6].GetProperty("participant").GetProperty("disconnectReason").GetString());
    }

    [Fact]
    public async Task A_tampered_body_or_another_secret_is_refused_by_WebhookReceiver()
    {
        await using var rig = await WebhookRig.StartAsync();
        rig.Events.ParticipantJoined(Snapshots.Room("standup", 1), Snapshots.Speaker("p_Alice0000001", "alice", "Alice"));
        var request = Assert.Single(await rig.Catcher.WaitForAsync(1));
        var tampered = Encoding.UTF8.GetBytes(request.Text.Replace("\"alice\"", "\"mallory\"", StringComparison.Ordinal));
        Assert.NotEqual(request.Body, tampered);

        var genuine = await WebhookRig.ReceiveAsync([request]);
        var changed = await WebhookRig.ReceiveAsync([request with { Body = tampered }]);
        var unsigned = await WebhookRig.ReceiveAsync([request with { Authorization = null }]);
        var otherSecret = await WebhookReceiverNode.ReceiveAsync(WebhookRig.ApiKey, "another-secret-of-at-least-32-characters", [(request.Body, request.Authorization)]);

        Assert.True(genuine.Single().Ok, genuine.Single().Error);
        Assert.False(changed.Single().Ok);
        Assert.Equal("sha256 checksum of body does not match", changed.Single().Error);
        Assert.False(unsigned.Single().Ok);
        Assert.False(otherSecret.Single().Ok);
        Assert.Contains("signature", otherSecret.Single().Error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_room_keeps_its_order_through_a_retry_while_other_rooms_go_on()
    {
        await using var rig = await WebhookRig.StartAsync();
        var failedOnce = 0;
        rig.Catcher.Answer = request => request.RoomName == "alpha" && Interlocked.Exchange(ref failedOnce, 1) == 0 ? 500 : 200;

        rig.Events.RoomStarted(Snapshots.Room("alpha"));
        rig.Events.RoomStarted(Snapshots.Room("beta"));
        rig.Events.ParticipantJoined(Snapshots.Room("alpha", 1), Snapshots.Speaker("p_Alice0000001", "alice", "Alice"));
        rig.Events.ParticipantJoined(Snapshots.Room("beta", 1), Snapshots.Speaker("p_Bob000000002", "bob", "Bob"));
        rig.Events.RoomFinished(Snapshots.Room("beta"));

        // Without the clock moving, beta's three arrive; alpha's second waits behind its first, which failed.
        await rig.Catcher.WaitForAsync(4);
        await Task.Delay(200);
        Assert.Equal(["room_started", "participant_joined", "room_finished"], Of(rig.Catcher.Caught, "beta"));
        Assert.Equal(["room_started"], Of(rig.Catcher.Caught, "alpha"));

        await rig.NextAttemptAsync(1, TimeSpan.FromSeconds(1));
        var caught = await rig.Catcher.WaitForAsync(6);

        Assert.Equal(["room_started", "room_started", "participant_joined"], Of(caught, "alpha"));
        var alpha = caught.Where(request => request.RoomName == "alpha").ToList();
        Assert.Equal(alpha[0].Id, alpha[1].Id); // the same event again: a receiver can drop a repeat by id
        Assert.InRange(alpha[1].At - alpha[0].At, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1.9));
        var results = await WebhookRig.ReceiveAsync(caught);
        Assert.All(results, result => Assert.True(result.Ok, result.Error));
        Assert.Contains("attempt 1 failed (HTTP 500); retrying in 1 s", rig.Logs.Messages(4501).Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Failed_attempts_back_off_1_then_2_seconds_and_the_third_succeeds()
    {
        await using var rig = await WebhookRig.StartAsync();
        var attempts = 0;
        rig.Catcher.Answer = _ => Interlocked.Increment(ref attempts) <= 2 ? 500 : 204;

        rig.Events.RoomStarted(Snapshots.Room("alpha"));
        await rig.Catcher.WaitForAsync(1);
        await rig.NextAttemptAsync(1, TimeSpan.FromSeconds(1));
        await rig.NextAttemptAsync(2, TimeSpan.FromSeconds(2));
        await WebhookRig.WaitUntilAsync(() => rig.Target.Queued == 0, "the event is done");
        await rig.AdvanceAsync(TimeSpan.FromSeconds(20));

        var caught = rig.Catcher.Caught;
        Assert.Equal(3, caught.Count);
        Assert.InRange(caught[1].At - caught[0].At, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1.9));
        Assert.InRange(caught[2].At - caught[1].At, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2.9));
        Assert.Empty(rig.Logs.Messages(4502));
        Assert.Equal(0, rig.Target.Queued);
        var results = await WebhookRig.ReceiveAsync(caught);
        Assert.All(results, result => Assert.True(result.Ok, result.Error));
    }

    [Fact]
    public async Task After_MaxAttempts_failures_the_event_is_dropped_with_a_log_line_and_the_room_goes_on()
    {
        await using var rig = await WebhookRig.StartAsync(new() { ["Webhooks:MaxAttempts"] = "3" });
        rig.Catcher.Answer = request => request.Event == "room_started" ? 503 : 200;

        rig.Events.RoomStarted(Snapshots.Room("alpha"));
        rig.Events.ParticipantJoined(Snapshots.Room("alpha", 1), Snapshots.Speaker("p_Alice0000001", "alice", "Alice"));
        await rig.Catcher.WaitForAsync(1);
        await rig.NextAttemptAsync(1, TimeSpan.FromSeconds(1));
        await rig.NextAttemptAsync(2, TimeSpan.FromSeconds(2));
        await rig.Catcher.WaitForAsync(4);
        await rig.AdvanceAsync(TimeSpan.FromSeconds(10));

        var caught = rig.Catcher.Caught;
        Assert.Equal(["room_started", "room_started", "room_started", "participant_joined"], caught.Select(request => request.Event));
        var dropped = Assert.Single(rig.Logs.Messages(4502));
        Assert.Contains($"room_started {caught[0].Id}", dropped, StringComparison.Ordinal);
        Assert.Contains("after 3 attempts (Webhooks:MaxAttempts): HTTP 503", dropped, StringComparison.Ordinal);
        Assert.Equal(0, rig.Target.Queued);
        Assert.True((await WebhookRig.ReceiveAsync([caught[3]])).Single().Ok);
    }

    [Fact]
    public async Task No_attempt_starts_later_than_MaxAgeSeconds_after_the_event()
    {
        await using var rig = await WebhookRig.StartAsync(new() { ["Webhooks:MaxAttempts"] = "10", ["Webhooks:MaxAgeSeconds"] = "5" });
        rig.Catcher.Answer = _ => 500;
        var happened = rig.Now;

        rig.Events.RoomStarted(Snapshots.Room("alpha"));
        await rig.Catcher.WaitForAsync(1);
        await rig.NextAttemptAsync(1, TimeSpan.FromSeconds(1));
        await rig.NextAttemptAsync(2, TimeSpan.FromSeconds(2));
        await WebhookRig.WaitUntilAsync(() => rig.Logs.Messages(4503).Count == 1, "the drop");
        await rig.AdvanceAsync(TimeSpan.FromSeconds(10));

        // Attempts at 0, 1 and 3 s; the next would be at 7 s, past the 5 s.
        var caught = rig.Catcher.Caught;
        Assert.Equal(3, caught.Count);
        Assert.All(caught, request => Assert.True(request.At - happened < TimeSpan.FromSeconds(5)));
        Assert.Contains("older than Webhooks:MaxAgeSeconds (5 s) at its next attempt, after 3 attempts (HTTP 500)", rig.Logs.Messages(4503).Single(), StringComparison.Ordinal);
        Assert.Equal(0, rig.Target.Queued);
    }

    [Fact]
    public async Task A_receiver_that_never_answers_holds_at_most_MaxQueuedPerUrl_events_and_never_blocks_the_rooms()
    {
        // No age limit in the way: each stuck event ends after its four attempts.
        await using var rig = await WebhookRig.StartAsync(new() { ["Webhooks:MaxQueuedPerUrl"] = "10", ["Webhooks:MaxAgeSeconds"] = "3600" });
        rig.Catcher.Answer = _ => null;
        var events = rig.Events;

        // 1,000 events in 50 rooms, round robin: the first ten open ten lanes, each stuck on a request.
        await Task.Run(() =>
        {
            for (var i = 0; i < 1000; i++)
            {
                events.ParticipantJoined(Snapshots.Room($"room-{i % 50}", 1), Snapshots.Speaker($"p_{i:D12}", $"user-{i}", "User"));
            }
        }).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(10, rig.Target.Queued);
        await WebhookRig.WaitUntilAsync(() => rig.Catcher.Open == 10, "ten requests are open");
        Assert.Single(rig.Logs.Messages(4504));
        Assert.Contains("has 10 events queued (Webhooks:MaxQueuedPerUrl)", rig.Logs.Messages(4504).Single(), StringComparison.Ordinal);

        // Each attempt times out after 5 s; after 4 attempts (5 + 1 + 5 + 2 + 5 + 4 + 5 = 27 s) each event is dropped.
        await rig.AdvanceUntilAsync(() => rig.Target.Queued == 0, TimeSpan.FromSeconds(120), "the stuck events are dropped");
        Assert.Equal(40, rig.Catcher.Caught.Count);
        Assert.Equal(10, rig.Logs.Messages(4502).Count);
        Assert.All(rig.Logs.Messages(4502), line => Assert.Contains("no answer within 5 s", line, StringComparison.Ordinal));
        await WebhookRig.WaitUntilAsync(() => rig.Catcher.Open == 0, "the receiver's requests are closed");

        rig.Catcher.Answer = _ => 200;
        events.RoomFinished(Snapshots.Room("room-0"));
        var last = (await rig.Catcher.WaitForAsync(41))[40];
        Assert.Equal("room_finished", last.Event);
        Assert.Contains("takes events again; 990 were dropped while its queue was full", rig.Logs.Messages(4505).Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_Webhooks_Urls_the_rooms_events_go_to_the_notifier_and_without_them_nowhere()
    {
        await using var rig = await WebhookRig.StartAsync();
        using var plain = new ParleyServer();

        Assert.IsType<WebhookNotifier>(rig.Events);
        Assert.IsType<NoRoomEvents>(plain.Services.GetRequiredService<IRoomEvents>());
        Assert.Contains("Webhooks on: posting to 1 URL(s), signed with the Auth:Keys key parley-hooks", rig.Logs.Messages(4500).Single(), StringComparison.Ordinal);
    }

    private static List<string> Of(IEnumerable<CaughtWebhook> caught, string room) =>
        caught.Where(request => request.RoomName == room).Select(request => request.Event).ToList();
}
