using System.Text;
using Parley.Signaling.Protocol;

namespace Parley.Signaling.Tests;

/// <summary>Random and mutated frames never make the protocol boundary throw.</summary>
public class FuzzTests
{
    private static readonly string[] Seeds =
    [
        """{"type":"join","protocol":1,"room":"lobby","name":"Ann","muted":false}""",
        """{"type":"offer","to":"p_Q2xYx1z9aBcD","sdp":"v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n"}""",
        """{"type":"candidate","to":"p_Q2xYx1z9aBcD","candidate":{"candidate":"candidate:1 1 udp 1 127.0.0.1 5 typ host","sdpMid":"0","sdpMLineIndex":0,"usernameFragment":"Zk3l"}}""",
        """{"type":"state","muted":true,"speaking":false}""",
        """{"type":"ping","id":7}""",
        """{"type":"leave"}""",
    ];

    [Fact]
    public void Hundred_thousand_mutated_frames_never_throw()
    {
        var random = new Random(8489);
        var seeds = Seeds.Select(Encoding.UTF8.GetBytes).ToArray();
        for (var i = 0; i < 100_000; i++)
        {
            var frame = i % 4 == 0 ? RandomBytes(random) : Mutate(random, seeds[random.Next(seeds.Length)]);
            Exercise(frame);
        }
    }

    private static void Exercise(byte[] frame)
    {
        ProtocolJson.TryReadType(frame, out _, out _);
        ProtocolJson.IsOneObject(frame, out _);
        ProtocolJson.TryDeserialize(frame, SignalingJsonContext.Default.JoinRequest, out _, out _);
        DescriptionRelayFrameTests.AssertRelaysFaithfully(frame);
        ProtocolJson.TryDeserialize(frame, SignalingJsonContext.Default.CandidateRelayRequest, out _, out _);
        ProtocolJson.TryDeserialize(frame, SignalingJsonContext.Default.StateRequest, out _, out _);
        ProtocolJson.TryDeserialize(frame, SignalingJsonContext.Default.PingRequest, out _, out _);
        var text = Encoding.UTF8.GetString(frame);
        NameRules.TryNormalizeRoomName(text, 64, out _, out _);
        NameRules.TryNormalizeDisplayName(text, 32, out _, out _);
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
