namespace Parley.Bench.Signaling;

/// <summary>One <see cref="WebSocketLink"/> per participant, to the address the protocol gives it; nothing shared.</summary>
internal sealed class WebSocketLinks(Func<Participant, Uri> address) : IParticipantLinks
{
    public IParticipantLink Create(Participant participant) => new WebSocketLink(address(participant));

    public void Dispose()
    {
    }
}
