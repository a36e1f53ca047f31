using Parley.Signaling.Protocol;

namespace Parley.Signaling.Rooms;

/// <summary>The offer a <c>join</c> may carry (docs/protocol.md, "An offer with the join").</summary>
public sealed partial class Room
{
    /// <summary>
    /// Who gets the offer <paramref name="joiner"/>'s <c>join</c> carried, and what it receives: the first room mate
    /// <c>joined</c> lists that is connected (not away), if the offer is one the joiner could send as an <c>offer</c>
    /// message (a hidden participant reaches nobody; one that may not publish offers no audio). Otherwise nobody: the
    /// client sends its offers itself.
    /// </summary>
    private (Participant? To, byte[] Offer) JoinOfferLocked(Participant joiner, List<ParticipantInfo> others)
    {
        var sdp = joiner.JoinOfferSdp;
        joiner.JoinOfferSdp = null;
        if (sdp is null || joiner.Permissions.Hidden)
        {
            return (null, []);
        }

        foreach (var other in others)
        {
            if (participants[other.Id] is { Connection: not null } recipient)
            {
                return DescriptionRelayFrame.TryWriteFrom("offer", joiner.Id, joiner.MayPublish, sdp, out var offer, out _)
                    ? (recipient, offer)
                    : (null, []);
            }
        }

        return (null, []);
    }
}
