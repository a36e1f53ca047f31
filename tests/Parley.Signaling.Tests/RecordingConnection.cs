using System.Text.Json;
using Parley.Signaling.Protocol;
using Parley.Signaling.Rooms;

namespace Parley.Signaling.Tests;

/// <summary>A participant connection that keeps what a room sends it.</summary>
internal sealed class RecordingConnection(bool accepts = true) : IParticipantConnection
{
    public List<JsonElement> Received { get; } = [];

    public bool TrySend(byte[] utf8Json)
    {
        if (accepts)
        {
            Received.Add(JsonDocument.Parse(utf8Json).RootElement.Clone());
        }

        return accepts;
    }

    /// <summary>How many times a resume on another connection replaced this one.</summary>
    public int Replaced { get; private set; }

    public void OnReplaced() => Replaced++;

    /// <summary>The errors with which the room took this connection's participant out (removed, duplicate-identity, ...).</summary>
    public List<string> RemovedWith { get; } = [];

    public void OnRemoved(ProtocolError reason) => RemovedWith.Add(reason.Code);

    /// <summary>How many times a room mate's peer-lost asked this connection to check its client.</summary>
    public int AliveChecks { get; private set; }

    public void CheckAlive() => AliveChecks++;

    public IEnumerable<string> Types => Received.Select(message => message.GetProperty("type").GetString()!);

    public JsonElement Last(string type) => Received.Last(message => message.GetProperty("type").GetString() == type);
}
