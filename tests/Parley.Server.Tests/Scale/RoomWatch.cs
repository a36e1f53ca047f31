using System.Text.Json;

namespace Parley.Server.Tests.Scale;

/// <summary>
/// Reads a client's messages and keeps every one, so a test can wait for what it expects and still check afterwards
/// what it must never have seen (a <c>participant-left</c> while someone only moved to another node).
/// </summary>
public sealed class RoomWatch(ISignalingTestClient client)
{
    private readonly List<JsonElement> seen = [];

    public ISignalingTestClient Client { get; } = client;

    /// <summary>Every message read through this watch, in order.</summary>
    public IReadOnlyList<JsonElement> Seen => seen;

    /// <summary>Reads until a message of <paramref name="type"/> that <paramref name="match"/> accepts; returns it.</summary>
    public async Task<JsonElement> WaitForAsync(string type, Func<JsonElement, bool>? match = null)
    {
        while (true)
        {
            var message = await Client.ReceiveAsync();
            seen.Add(message);
            if (message.GetProperty("type").GetString() == type && (match is null || match(message)))
            {
                return message;
            }
        }
    }

    /// <summary>Reads until <c>participant-joined</c> for <paramref name="id"/>; returns it.</summary>
    public Task<JsonElement> WaitForJoinedAsync(string id) =>
        WaitForAsync("participant-joined", m => m.GetProperty("participant").GetProperty("id").GetString() == id);

    /// <summary>
    /// Reads until this client knows of every one of <paramref name="ids"/>: in its <c>joined</c>, or announced since.
    /// </summary>
    public async Task WaitUntilPresentAsync(IEnumerable<string> ids)
    {
        var missing = ids.ToHashSet();
        missing.ExceptWith(Client.Joined.GetProperty("participants").EnumerateArray().Select(p => p.GetProperty("id").GetString()!));
        foreach (var message in seen.Where(m => m.GetProperty("type").GetString() == "participant-joined"))
        {
            missing.Remove(message.GetProperty("participant").GetProperty("id").GetString()!);
        }

        while (missing.Count > 0)
        {
            var joined = await WaitForAsync("participant-joined");
            missing.Remove(joined.GetProperty("participant").GetProperty("id").GetString()!);
        }
    }

    /// <summary>A ping round trip that also reads everything queued before the pong: proves the session is served.</summary>
    public async Task DrainAsync()
    {
        var id = Guid.NewGuid().ToString("N");
        await Client.SendAsync(new { type = "ping", id });
        await WaitForAsync("pong", m => m.GetProperty("id").GetString() == id);
    }

    /// <summary>Fails if any message read so far announced <paramref name="id"/> as left.</summary>
    public void AssertNeverLeft(string id)
    {
        var left = seen.Where(m => m.GetProperty("type").GetString() == "participant-left" && m.GetProperty("id").GetString() == id).ToList();
        Assert.True(left.Count == 0, $"{Client.Id} saw {id} leave: {string.Join(", ", left)}");
    }
}
