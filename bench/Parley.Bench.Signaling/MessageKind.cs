namespace Parley.Bench.Signaling;

/// <summary>The three relayed message kinds of WebRTC negotiation.</summary>
internal enum MessageKind
{
    Offer,
    Answer,
    Candidate,
}
