using System.Text;
using System.Text.Json;
using Parley.Signaling.Handlers;
using Parley.Signaling.Protocol;

namespace Parley.Signaling.Tests;

/// <summary>
/// The one-pass <c>candidate</c> reader answers only where the serializer would answer the same: checked against
/// <see cref="JsonSerializer"/> on hand-picked shapes and on mutated frames.
/// </summary>
public class CandidateRelayFrameTests
{
    [Theory]
    [InlineData("""{"type":"candidate","to":"p_1","candidate":{"candidate":"candidate:1 1 udp 1 127.0.0.1 5 typ host","sdpMid":"0","sdpMLineIndex":0,"usernameFragment":"Zk3l"}}""", true)]
    [InlineData("""{"to":"p_1","candidate":null,"type":"candidate"}""", true)]
    [InlineData("""{"type":"candidate","to":"p_1","candidate":{"candidate":"c","extra":[1,{"a":2}],"sdpMid":null}}""", true)]
    [InlineData(""" { "to" : "p_\u0031" , "candidate" : { "s\u0064pMid" : "x" , "candidate" : "c" } } """, true)]
    [InlineData("""{"to":"p_1","candidate":{"candidate":"c"},"to":"p_2"}""", false)] // repeated: the serializer's rule
    [InlineData("""{"to":"p_1"}""", false)] // no candidate
    [InlineData("""{"to":5,"candidate":null}""", false)]
    [InlineData("""{"to":"p_1","candidate":{"candidate":"c","sdpMLineIndex":1.5}}""", false)]
    [InlineData("""{"to":"p_1","candidate":{"candidate":"c","sdpMLineIndex":"1"}}""", false)]
    [InlineData("""{"to":"p_1","candidate":[]}""", false)]
    [InlineData("""{"to":"p_1","candidate":null} {}""", false)]
    [InlineData("""{"to":"p_1","candidate":null,}""", false)]
    public void The_usual_shape_is_read_in_one_pass_and_the_rest_is_left_to_the_serializer(string json, bool fast)
    {
        var bytes = Encoding.UTF8.GetBytes(json);

        Assert.Equal(fast, CandidateRelayFrame.TryRead(bytes, out var to, out var candidate));
        if (fast)
        {
            AssertSameAsSerializer(bytes, to, candidate);
        }
    }

    [Fact]
    public void Where_the_one_pass_reader_answers_on_mutated_frames_the_serializer_agrees()
    {
        var answered = 0;
        foreach (var frame in FuzzCorpus.Frames(1905, 100_000).Concat(Mutations(FuzzCorpus.Seeds[2], 7, 20_000)))
        {
            if (CandidateRelayFrame.TryRead(frame, out var to, out var candidate))
            {
                answered++;
                AssertSameAsSerializer(frame, to, candidate);
            }

            // And the handler's whole answer (error code included) is the serializer's.
            var accepted = CandidateRelayHandler.TryRead(frame, out var handlerTo, out var handlerCandidate, out var error);
            var expected = ReadAsBefore(frame, out var expectedTo, out var expectedCandidate, out var expectedError);
            Assert.Equal(expected, accepted);
            Assert.Equal(expectedError.Code, error.Code);
            if (accepted)
            {
                Assert.Equal(expectedTo, handlerTo);
                Assert.Equal(expectedCandidate, handlerCandidate);
            }
        }

        Assert.True(answered > 1000, $"only {answered} frames took the one-pass path");
    }

    private static IEnumerable<byte[]> Mutations(string seed, int randomSeed, int count)
    {
        // Single-byte edits of a candidate keep most frames well-formed, so the one-pass path is exercised hard.
        var random = new Random(randomSeed);
        var bytes = Encoding.UTF8.GetBytes(seed);
        for (var i = 0; i < count; i++)
        {
            var copy = bytes.ToArray();
            const string Edits = "{}[]\":,0123456789\\ tfnul-.eE";
            copy[random.Next(copy.Length)] = (byte)Edits[random.Next(Edits.Length)];
            yield return copy;
        }
    }

    private static void AssertSameAsSerializer(byte[] frame, string? to, IceCandidate? candidate)
    {
        var request = JsonSerializer.Deserialize(frame, SignalingJsonContext.Default.CandidateRelayRequest)!;
        Assert.Equal(request.To, to);
        var expected = request.Candidate.ValueKind == JsonValueKind.Null ? null : request.Candidate.Deserialize(SignalingJsonContext.Default.IceCandidate);
        Assert.Equal(expected, candidate);
    }

    /// <summary>The handler's reading before the one-pass path: the serializer, then the element, then the limits.</summary>
    private static bool ReadAsBefore(byte[] frame, out string? to, out IceCandidate? candidate, out ProtocolError error)
    {
        to = null;
        candidate = null;
        if (!ProtocolJson.TryDeserialize(frame, SignalingJsonContext.Default.CandidateRelayRequest, out var request, out error))
        {
            return false;
        }

        if (string.IsNullOrEmpty(request.To))
        {
            error = ProtocolError.Invalid("candidate needs 'to'.");
            return false;
        }

        to = request.To;
        switch (request.Candidate.ValueKind)
        {
            case JsonValueKind.Null:
                return true;
            case JsonValueKind.Object:
                break;
            default:
                error = ProtocolError.Invalid("no candidate");
                return false;
        }

        try
        {
            candidate = request.Candidate.Deserialize(SignalingJsonContext.Default.IceCandidate);
        }
        catch (JsonException ex)
        {
            error = ProtocolError.MalformedJson(ex.Message);
            return false;
        }

        if (candidate is null || candidate.Candidate is null || candidate.Candidate.Length > 1024
            || candidate.SdpMid?.Length > 256 || candidate.UsernameFragment?.Length > 256
            || candidate.SdpMLineIndex is < 0 or > ushort.MaxValue)
        {
            error = ProtocolError.Invalid("not acceptable");
            candidate = null;
            return false;
        }

        return true;
    }
}
