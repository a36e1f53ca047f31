using Parley.Access;
using Parley.Signaling.Rooms;

namespace Parley.Signaling.Access;

/// <summary>
/// What a participant resumes with. Open mode: its random secret. Token mode: the secret with a ticket sealed by the
/// server (<see cref="ResumeTicketCodec"/>) carrying who it is and what it may do now, so that a resume needs no access
/// token, even on a server that restarted, while a removal still keeps it out (<see cref="AccessRevocations"/>).
/// </summary>
public sealed class ResumeTokens(ResumeTicketCodec tickets)
{
    /// <summary>A fresh resume token for <paramref name="participant"/> of <paramref name="room"/>; called under the room's lock.</summary>
    public string IssueFor(Participant participant, string room)
    {
        if (participant.Access is not { } access)
        {
            return participant.ResumeSecret;
        }

        var ticket = new ResumeTicket(access.ApiKey, room, participant.Identity, participant.Name, participant.Metadata,
            GrantPermissions.ToGrant(participant.Permissions, room), access.TokenHash, tickets.NewExpiry());
        return tickets.Seal(participant.ResumeSecret, ticket);
    }
}
