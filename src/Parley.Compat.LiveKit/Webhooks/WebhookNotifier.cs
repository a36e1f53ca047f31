using System.Security.Cryptography;
using System.Text.Json;
using Parley.Compat.LiveKit.LiveKitJson;
using Parley.Signaling.Rooms;

namespace Parley.Compat.LiveKit.Webhooks;

/// <summary>
/// Turns what happens in rooms into LiveKit-format webhook events (<see cref="LkWebhookEvent"/>) and queues them in
/// the <see cref="WebhookOutbox"/>. As <see cref="IRoomEvents"/> requires, it only queues: the rooms never wait for
/// a receiver.
/// </summary>
internal sealed class WebhookNotifier(WebhookOutbox outbox, TimeProvider time) : IRoomEvents
{
    private const string IdPrefix = "EV_";
    private const string IdAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private const int IdLength = 12; // as LiveKit's guid suffixes

    public void RoomStarted(RoomSnapshot room) => Post(WebhookEventNames.RoomStarted, room);

    public void RoomFinished(RoomSnapshot room) => Post(WebhookEventNames.RoomFinished, room);

    public void ParticipantJoined(RoomSnapshot room, ParticipantSnapshot participant) =>
        Post(WebhookEventNames.ParticipantJoined, room, LiveKitMapper.Participant(participant));

    public void ParticipantLeft(RoomSnapshot room, ParticipantSnapshot participant, string reason) =>
        Post(WebhookEventNames.ParticipantLeft, room, LiveKitMapper.Participant(participant, reason));

    public void ParticipantMuted(RoomSnapshot room, ParticipantSnapshot participant) =>
        Post(WebhookEventNames.ParticipantMuted, room, LiveKitMapper.Participant(participant), LiveKitMapper.Microphone(participant));

    public void ParticipantRemoved(RoomSnapshot room, ParticipantSnapshot participant) =>
        Post(WebhookEventNames.ParticipantRemoved, room, LiveKitMapper.Participant(participant));

    private void Post(string name, RoomSnapshot room, LkParticipantInfo? participant = null, LkTrackInfo? track = null)
    {
        var now = time.GetUtcNow();
        var webhookEvent = new LkWebhookEvent
        {
            Event = name,
            Room = LiveKitMapper.Room(room),
            Participant = participant,
            Track = track,
            Id = IdPrefix + RandomNumberGenerator.GetString(IdAlphabet, IdLength),
            CreatedAt = now.ToUnixTimeSeconds(),
        };
        var body = JsonSerializer.SerializeToUtf8Bytes(webhookEvent, LiveKitJsonContext.Default.LkWebhookEvent);
        outbox.Post(new WebhookMessage(room.Name, name, webhookEvent.Id, body, now));
    }
}
