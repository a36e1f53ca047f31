using System.Text;
using System.Text.Json;
using Parley.Signaling.Protocol;

namespace Parley.Signaling.Tests;

/// <summary>The offer/answer relay copies the escaped SDP as it came: the result must always be the JSON a serializer would write.</summary>
public class DescriptionRelayFrameTests
{
    [Theory]
    [InlineData("""{"type":"offer","to":"p_a","sdp":"v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n"}""", "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n")]
    [InlineData("""{"sdp":"quote \" backslash \\ slash \/ tab \t unicode \u00e9 é 😀","to":"p_a","type":"answer","extra":{"a":[1,2]}}""", "quote \" backslash \\ slash / tab \t unicode é é 😀")]
    public void The_relayed_frame_carries_exactly_the_sdp_that_was_sent(string frame, string sdp)
    {
        var bytes = Encoding.UTF8.GetBytes(frame);

        Assert.True(DescriptionRelayFrame.TryRead(bytes, out var to, out var range, out _));
        var relayed = JsonDocument.Parse(DescriptionRelayFrame.Write("offer", "p_from", bytes.AsSpan()[range])).RootElement;

        Assert.Equal("p_a", to);
        Assert.Equal("offer", relayed.GetProperty("type").GetString());
        Assert.Equal("p_from", relayed.GetProperty("from").GetString());
        Assert.Equal(sdp, relayed.GetProperty("sdp").GetString());
        Assert.Equal(3, relayed.EnumerateObject().Count());
    }

    [Theory]
    [InlineData("""{"type":"offer","to":7,"sdp":"v=0"}""")]
    [InlineData("""{"type":"offer","to":"p_a","sdp":{"v":0}}""")]
    [InlineData("""{"type":"offer","to":"p_a","sdp":"v=0"} {}""")]
    [InlineData("""["offer"]""")]
    [InlineData("""{"type":"offer","to":"p_a","sdp":"v=0""")]
    public void Wrong_shapes_are_malformed_json(string frame)
    {
        Assert.False(DescriptionRelayFrame.TryRead(Encoding.UTF8.GetBytes(frame), out _, out _, out var error));
        Assert.Equal(ErrorCode.MalformedJson, error.Code);
    }

    [Fact]
    public void Null_or_missing_fields_read_as_absent()
    {
        var frame = """{"type":"offer","to":null}"""u8.ToArray();
        Assert.True(DescriptionRelayFrame.TryRead(frame, out var to, out var sdp, out _));
        Assert.Null(to);
        Assert.True(frame.AsSpan()[sdp].IsEmpty);
    }

    [Fact]
    public void Invalid_utf8_inside_the_sdp_is_refused_so_no_browser_gets_an_invalid_text_frame()
    {
        byte[] frame = [.. """{"type":"offer","to":"p_a","sdp":"v=0 """u8, 0xC3, 0x28, .. "\"}"u8];
        Assert.False(DescriptionRelayFrame.TryRead(frame, out _, out _, out var error));
        Assert.Equal(ErrorCode.MalformedJson, error.Code);
    }

    /// <summary>
    /// For the fuzzer: whatever is accepted relays to valid JSON (parsing it would throw otherwise), holding the SDP
    /// the serializer reads from the same frame whenever the serializer accepts it.
    /// </summary>
    internal static void AssertRelaysFaithfully(byte[] frame)
    {
        if (!DescriptionRelayFrame.TryRead(frame, out _, out var range, out _) || frame.AsSpan()[range].IsEmpty)
        {
            return;
        }

        var relayed = DescriptionRelayFrame.Write("offer", "p_from", frame.AsSpan()[range]);
        var sdp = JsonDocument.Parse(relayed).RootElement.GetProperty("sdp").GetString();
        if (SerializerReading(frame) is { } request)
        {
            Assert.Equal(request.Sdp, sdp);
        }
    }

    private static readonly JsonSerializerOptions OracleOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>How System.Text.Json reads the same frame into a typed request; null where it refuses the frame.</summary>
    private static OracleRequest? SerializerReading(byte[] frame)
    {
        try
        {
            return JsonSerializer.Deserialize<OracleRequest>(frame, OracleOptions);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    private sealed record OracleRequest(string? To, string? Sdp);
}
