namespace Parley.Compat.PeerJs.Protocol;

/// <summary>The <c>type</c> of PeerJS messages (peerjs-server 1.0 <c>src/enums.ts</c>, <c>MessageType</c>).</summary>
public static class PeerJsMessageType
{
    /// <summary>Server to client: the id is now this client's.</summary>
    public const string Open = "OPEN";

    /// <summary>Server to client: another client holds the id (with another token); the socket closes.</summary>
    public const string IdTaken = "ID-TAKEN";

    /// <summary>Server to client: <c>payload.msg</c> says what is wrong; the socket closes.</summary>
    public const string Error = "ERROR";

    /// <summary>Client to server, every 5 s: the client is alive. Never relayed.</summary>
    public const string Heartbeat = "HEARTBEAT";

    public const string Offer = "OFFER";

    public const string Answer = "ANSWER";

    public const string Candidate = "CANDIDATE";

    /// <summary>A connection is closed; also sent back by the server when the destination cannot be written to.</summary>
    public const string Leave = "LEAVE";

    /// <summary>Server to client: messages for <c>src</c> waited too long, it is not connected (client: <c>peer-unavailable</c>).</summary>
    public const string Expire = "EXPIRE";

    /// <summary>Types a client may send to another client; the server stamps <c>src</c> and forwards them.</summary>
    public static bool IsRelayed(string type) => type is Offer or Answer or Candidate or Leave or Expire;
}
