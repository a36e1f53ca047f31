using System.Text;
using Parley.Signaling.Protocol;

namespace Parley.Signaling.Tests;

public class ProtocolJsonTests
{
    [Theory]
    [InlineData("""{"type":"join"}""", "join")]
    [InlineData("""{"room":"x","type":"offer","sdp":"v=0"}""", "offer")]
    [InlineData("""{"nested":{"type":"inner"},"type":"outer"}""", "outer")]
    [InlineData("""{"type":"first","type":"second"}""", "first")]
    [InlineData(""" { "type" : "ping" } """, "ping")]
    public void Reads_the_top_level_type(string json, string expected)
    {
        Assert.True(ProtocolJson.TryReadType(Encoding.UTF8.GetBytes(json), out var type, out _));
        Assert.Equal(expected, type);
    }

    [Theory]
    [InlineData("", ErrorCode.MalformedJson)]
    [InlineData("not json", ErrorCode.MalformedJson)]
    [InlineData("[]", ErrorCode.MalformedJson)]
    [InlineData("\"join\"", ErrorCode.MalformedJson)]
    [InlineData("""{"room":"r",}""", ErrorCode.MalformedJson)]
    [InlineData("""{"room":"r"} {}""", ErrorCode.MalformedJson)]
    [InlineData("""{"room":"r" /* c */, "type":"join"}""", ErrorCode.MalformedJson)]
    [InlineData("""{}""", ErrorCode.UnknownType)]
    [InlineData("""{"type":7}""", ErrorCode.UnknownType)]
    [InlineData("""{"type":""}""", ErrorCode.UnknownType)]
    [InlineData("""{"type":null}""", ErrorCode.UnknownType)]
    [InlineData("""{"kind":{"type":"join"}}""", ErrorCode.UnknownType)]
    public void Refuses_frames_without_a_readable_type(string json, string code)
    {
        Assert.False(ProtocolJson.TryReadType(Encoding.UTF8.GetBytes(json), out _, out var error));
        Assert.Equal(code, error.Code);
    }

    [Fact]
    public void Refuses_invalid_utf8()
    {
        byte[] frame = [.. "{\"type\":\""u8, 0xC3, 0x28, .. "\"}"u8];
        Assert.False(ProtocolJson.TryReadType(frame, out _, out var error));
        Assert.Equal(ErrorCode.MalformedJson, error.Code);
    }

    [Fact]
    public void Refuses_deep_nesting_without_recursing_far()
    {
        var json = "{\"x\":" + new string('[', 10_000) + new string(']', 10_000) + ",\"type\":\"join\"}";
        Assert.False(ProtocolJson.TryReadType(Encoding.UTF8.GetBytes(json), out _, out var error));
        Assert.Equal(ErrorCode.MalformedJson, error.Code);
        Assert.False(ProtocolJson.IsOneObject(Encoding.UTF8.GetBytes(json), out error));
        Assert.Equal(ErrorCode.MalformedJson, error.Code);
    }

    /// <summary>
    /// Reading the type stops at it, so what follows is the handler's to check: every handler reads its whole
    /// frame, and those that need none of its fields (leave, pong) check it with <see cref="ProtocolJson.IsOneObject"/>.
    /// </summary>
    [Theory]
    [InlineData("{\"type\":\"leave\"")]
    [InlineData("""{"type":"leave"} {}""")]
    [InlineData("""{"type":"leave"}x""")]
    [InlineData("""{"type":"leave",}""")]
    [InlineData("""{"type":"leave" /* c */}""")]
    [InlineData("""{"type":"leave","x":[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]}""")]
    public void A_malformed_rest_after_the_type_is_left_to_the_handler(string json)
    {
        Assert.True(ProtocolJson.TryReadType(Encoding.UTF8.GetBytes(json), out var type, out _));
        Assert.Equal("leave", type);
        Assert.False(ProtocolJson.IsOneObject(Encoding.UTF8.GetBytes(json), out var error));
        Assert.Equal(ErrorCode.MalformedJson, error.Code);
    }

    [Theory]
    [InlineData("""{"type":"leave"}""")]
    [InlineData(""" { "type" : "pong", "extra" : [1, {"a": null}] } """)]
    public void One_object_is_one_object(string json)
    {
        Assert.True(ProtocolJson.IsOneObject(Encoding.UTF8.GetBytes(json), out var error));
        Assert.Equal(default, error);
    }

    [Theory]
    [InlineData("""{"type":"join","protocol":"1"}""")]
    [InlineData("""{"type":"join","room":5}""")]
    [InlineData("""{"type":"join","muted":"yes"}""")]
    [InlineData("""{"type":"join","protocol":1.5}""")]
    [InlineData("""{"type":"join","protocol":99999999999}""")]
    public void Wrong_field_types_are_malformed_json(string json)
    {
        Assert.False(ProtocolJson.TryDeserialize(Encoding.UTF8.GetBytes(json), SignalingJsonContext.Default.JoinRequest, out _, out var error));
        Assert.Equal(ErrorCode.MalformedJson, error.Code);
    }

    [Fact]
    public void Reads_a_join_and_ignores_unknown_fields()
    {
        var json = """{"type":"join","protocol":1,"room":"r","name":"Ann","muted":true,"from":"p_spoofed","future":{"a":[1]}}"""u8;
        Assert.True(ProtocolJson.TryDeserialize(json, SignalingJsonContext.Default.JoinRequest, out var join, out _));
        Assert.Equal(new JoinRequest(1, "r", "Ann", true), join);
    }

    [Fact]
    public void Server_messages_start_with_their_type()
    {
        var left = Encoding.UTF8.GetString(ProtocolJson.Serialize(new ParticipantLeftMessage("p_1", "left"), SignalingJsonContext.Default.ParticipantLeftMessage));
        Assert.Equal("""{"type":"participant-left","id":"p_1","reason":"left"}""", left);

        var offer = Encoding.UTF8.GetString(ProtocolJson.Serialize(new RelayedDescriptionMessage("offer", "p_1", "v=0"), SignalingJsonContext.Default.RelayedDescriptionMessage));
        Assert.Equal("""{"type":"offer","from":"p_1","sdp":"v=0"}""", offer);
    }

    [Fact]
    public void End_of_candidates_is_written_as_an_explicit_null()
    {
        var json = Encoding.UTF8.GetString(ProtocolJson.Serialize(new RelayedCandidateMessage("p_1", null), SignalingJsonContext.Default.RelayedCandidateMessage));
        Assert.Equal("""{"type":"candidate","from":"p_1","candidate":null}""", json);
    }

    [Fact]
    public void Names_are_escaped_in_json_so_no_markup_survives_raw()
    {
        var info = new ParticipantInfo("p_1", "<img src=x onerror=alert(1)>", false, false);
        var json = Encoding.UTF8.GetString(ProtocolJson.Serialize(new ParticipantJoinedMessage(info), SignalingJsonContext.Default.ParticipantJoinedMessage));
        Assert.DoesNotContain("<", json, StringComparison.Ordinal);
        Assert.Contains("\\u003Cimg", json, StringComparison.Ordinal);
    }
}
