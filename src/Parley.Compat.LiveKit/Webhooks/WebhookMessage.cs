namespace Parley.Compat.LiveKit.Webhooks;

/// <summary>One event, serialized once and posted as is to every URL.</summary>
/// <param name="Room">The room's name: events of one room are delivered in order.</param>
/// <param name="Body">The UTF-8 JSON of the <c>WebhookEvent</c>, whose SHA-256 the signature carries.</param>
/// <param name="CreatedAt">When it happened: attempts stop <c>Webhooks:MaxAgeSeconds</c> after it.</param>
internal sealed record WebhookMessage(string Room, string Event, string Id, ReadOnlyMemory<byte> Body, DateTimeOffset CreatedAt);
