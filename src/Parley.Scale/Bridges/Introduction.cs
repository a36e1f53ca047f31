namespace Parley.Scale.Bridges;

/// <summary>What an introduction says about one room mate, or about the client itself.</summary>
internal enum IntroductionKind : byte
{
    /// <summary>The client now knows this room mate; relays to it go to <see cref="Introduction.Node"/>'s bridge.</summary>
    Present = 1,

    /// <summary>The client was told this room mate left: nothing more is relayed from or to it.</summary>
    Gone = 2,

    /// <summary>The client's own participant, after a change of what it may do.</summary>
    Self = 3,

    /// <summary>The client (re)joined: forget every room mate; this is its own participant.</summary>
    Fresh = 4,
}

/// <summary>
/// One entry of an introduction. <see cref="Bridge"/> is the bridge that carries the room mate's session on
/// <see cref="Node"/>; empty when relays to it must go through the owner (it is connected there, or away).
/// <see cref="Hidden"/> (with <see cref="IntroductionKind.Fresh"/>): the client's participant is hidden, so it reaches
/// nobody: every relay it sends goes to the owner, which refuses it as one node does.
/// </summary>
internal readonly record struct Introduction(IntroductionKind Kind, string Id, string Node = "", string Bridge = "", bool MayPublish = false,
    bool Hidden = false);

/// <summary>Where a relay to a room mate goes.</summary>
internal readonly record struct PeerLocation(string Node, string Bridge);
