namespace Parley.Turn;

/// <summary>
/// Users (the part of a TURN username after the expiry: a participant id) whose credentials no longer count: a
/// participant removed from its room keeps valid-looking credentials until they expire, so the server must ask.
/// </summary>
public interface ITurnUserRevocations
{
    bool IsRevoked(string user);
}

/// <summary>Nobody is revoked.</summary>
public sealed class NoTurnUserRevocations : ITurnUserRevocations
{
    public bool IsRevoked(string user) => false;
}

/// <summary>Ends a user's use of the relay at once: its allocations and reserved ports go (for a removed participant).</summary>
public sealed class TurnUsers
{
    private readonly TurnServer server;

    internal TurnUsers(TurnServer server) => this.server = server;

    /// <summary>Deletes every allocation and reservation of <paramref name="user"/>; returns how many allocations.</summary>
    public int Disconnect(string user) => server.Allocations.RemoveUser(user);
}
