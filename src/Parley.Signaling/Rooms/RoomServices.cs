using Parley.Signaling.Access;

namespace Parley.Signaling.Rooms;

/// <summary>What every room uses: the clock, the resume tokens it hands out, and the listener for webhooks.</summary>
public sealed record RoomServices(TimeProvider Time, ResumeTokens ResumeTokens, IRoomEvents Events);
