using Parley.Signaling.Protocol;

namespace Parley.Signaling.Handlers;

/// <summary>
/// What the relay handlers do to an <c>offer</c>, <c>answer</c> or <c>candidate</c> before the room delivers it (every
/// check, and the message its recipient receives), without the room. With several nodes, the node a client is
/// connected to uses it to relay straight to the recipient's node instead of through the room's owner
/// (docs/deployment.md, "Several nodes").
/// </summary>
public static class PeerRelay
{
    /// <summary>
    /// False for any other message, or one its handler would refuse (the owner then answers it as usual).
    /// </summary>
    public static bool TryPrepare(ReadOnlySpan<byte> utf8Json, string senderId, bool senderMayPublish, out string to, out byte[] relayed)
    {
        to = "";
        relayed = [];
        if (!ProtocolJson.TryReadType(utf8Json, out var type, out _))
        {
            return false;
        }

        return type switch
        {
            "offer" or "answer" => DescriptionRelayHandler.TryPrepare(type, utf8Json, senderId, senderMayPublish, out to, out relayed, out _),
            "candidate" => CandidateRelayHandler.TryPrepare(utf8Json, senderId, out to, out relayed, out _),
            _ => false,
        };
    }
}
