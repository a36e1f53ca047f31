using System.Text.Json;

namespace Parley.Access;

/// <summary>
/// The token's own <c>parley</c> claim: what Parley adds to LiveKit's format. Today only <c>channel</c>, the room's
/// voice channel (docs/access.md), kept as raw JSON: the signaling layer checks it as it checks <c>join.channel</c>.
/// </summary>
internal sealed class ParleyClaim
{
    public JsonElement? Channel { get; set; }
}
