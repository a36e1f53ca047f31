namespace Parley.Compat.PeerJs.Realm;

/// <summary>
/// Messages for one id that is not connected, kept until it connects or <see cref="PeerJsOptions.ExpireTimeoutSeconds"/>
/// after the first one (peerjs-server's <c>MessageQueue</c>, with bounds). Guarded by the realm's lock.
/// </summary>
internal sealed class PendingMessages(string destination)
{
    public string Destination { get; } = destination;

    public List<(string Src, byte[] Frame)> Messages { get; } = [];

    public long Bytes { get; set; }

    /// <summary>Fires once, when the messages expire; disposed when the destination connects first.</summary>
    public ITimer? Expiry { get; set; }

    /// <summary>The realm that holds these messages; the timer's callback goes back to it.</summary>
    public PeerJsRealm? Realm { get; set; }

    public void Expire() => Realm?.Expire(this);
}
