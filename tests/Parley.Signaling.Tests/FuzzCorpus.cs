namespace Parley.Signaling.Tests;

/// <summary>
/// Hostile frames for the protocol boundary: every message kind as a seed, mutated (bytes changed, removed, inserted,
/// cut short), and random bytes. The same corpus fuzzes the parsers here and the server over WebSocket and HTTP
/// (Parley.Server.Tests links this file).
/// </summary>
public static class FuzzCorpus
{
    public static readonly string[] Seeds =
    [
        """{"type":"join","protocol":1,"room":"lobby","name":"Ann","muted":false}""",
        """{"type":"offer","to":"p_Q2xYx1z9aBcD","sdp":"v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n"}""",
        """{"type":"candidate","to":"p_Q2xYx1z9aBcD","candidate":{"candidate":"candidate:1 1 udp 1 127.0.0.1 5 typ host","sdpMid":"0","sdpMLineIndex":0,"usernameFragment":"Zk3l"}}""",
        """{"type":"state","muted":true,"speaking":false}""",
        """{"type":"ping","id":7}""",
        """{"type":"leave"}""",
    ];

    /// <summary><paramref name="count"/> frames from <paramref name="seed"/>: one in four random bytes, the rest mutated seeds.</summary>
    public static IEnumerable<byte[]> Frames(int seed, int count)
    {
        var random = new Random(seed);
        var seeds = Seeds.Select(System.Text.Encoding.UTF8.GetBytes).ToArray();
        for (var i = 0; i < count; i++)
        {
            yield return i % 4 == 0 ? RandomBytes(random) : Mutate(random, seeds[random.Next(seeds.Length)]);
        }
    }

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(0, 64)];
        random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] Mutate(Random random, byte[] seed)
    {
        var bytes = seed.ToList();
        for (var edits = random.Next(1, 4); edits > 0 && bytes.Count > 0; edits--)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(4))
            {
                case 0: bytes[at] = (byte)random.Next(256); break;
                case 1: bytes.RemoveAt(at); break;
                case 2: bytes.Insert(at, (byte)"{}[]\":,0\\tfn-"[random.Next(13)]); break;
                default: bytes.RemoveRange(at, bytes.Count - at); break;
            }
        }

        return [.. bytes];
    }
}
