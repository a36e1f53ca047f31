using Parley.Signaling.Protocol;

namespace Parley.Signaling.Rooms;

/// <summary>
/// The room's voice channel (docs/protocol.md, "Positional rooms"): set once, by the participant that enters the room
/// first (its <c>join.channel</c>, or its token's <c>parley.channel</c>), and handed to every joiner in <c>joined</c>,
/// whatever a later joiner asked for. A room the admin API opened takes it from its first participant too.
/// </summary>
public sealed partial class Room
{
    private VoiceChannel? channel;
    private bool channelDecided;

    /// <summary>The room's voice channel; null while non-positional (or before anyone entered).</summary>
    public VoiceChannel? Channel
    {
        get
        {
            lock (gate)
            {
                return channel;
            }
        }
    }

    private VoiceChannel? DecideChannelLocked(Participant joiner)
    {
        if (!channelDecided)
        {
            channel = joiner.RequestedChannel;
            channelDecided = true;
        }

        return channel;
    }
}
