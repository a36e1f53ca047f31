namespace Parley.Compat.PeerJs.Realm;

/// <summary>One connected PeerJS client as the realm sees it: somewhere to queue frames, and a way to end it.</summary>
public interface IPeerJsClient
{
    /// <summary>Queues a frame without blocking (the realm calls it under its lock); false when the client cannot take it.</summary>
    bool TrySend(byte[] frame);

    /// <summary>Ends the connection after what is queued, saying <paramref name="reason"/> in the close frame.</summary>
    void Close(string reason);
}
