using System.Text;
using Parley.Signaling.Protocol;

namespace Parley.Signaling.Tests;

/// <summary>Random and mutated frames never make the protocol boundary throw.</summary>
public class FuzzTests
{
    [Fact]
    public void Hundred_thousand_mutated_frames_never_throw()
    {
        foreach (var frame in FuzzCorpus.Frames(8489, 100_000))
        {
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
}
