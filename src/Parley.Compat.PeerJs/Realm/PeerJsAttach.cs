namespace Parley.Compat.PeerJs.Realm;

/// <summary>What <see cref="PeerJsRealm.Attach"/> did.</summary>
public enum PeerJsAttach
{
    /// <summary>The id was free and is now the client's; it was sent <c>OPEN</c>, then anything queued for it.</summary>
    Opened,

    /// <summary>
    /// The id was held with the same token (a <c>peer.reconnect()</c> after a network drop): the client takes it back, the
    /// old socket is closed, and it was sent <c>OPEN</c> (peerjs-server re-attaches silently).
    /// </summary>
    Reclaimed,

    /// <summary>Another client holds the id with another token: the caller sends <c>ID-TAKEN</c> and closes.</summary>
    Taken,
}
