using System.Text;
using System.Text.Json;
using Parley.Signaling.Protocol;

namespace Parley.Signaling.Tests.Access;

public class SdpAudioDirectionTests
{
    private const string Session = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";

    [Theory]
    [InlineData("m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=sendrecv\r\n", true)]
    [InlineData("m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=sendonly\r\n", true)]
    [InlineData("m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=recvonly\r\n", false)]
    [InlineData("m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=inactive\r\n", false)]
    [InlineData("m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n", true)] // RFC 8866 §6.7: sendrecv by default
    [InlineData("m=audio 0 UDP/TLS/RTP/SAVPF 111\r\na=sendrecv\r\n", false)] // rejected (RFC 3264 §6)
    [InlineData("m=audio 0 UDP/TLS/RTP/SAVPF 111\r\na=bundle-only\r\na=sendrecv\r\n", true)] // RFC 8843 §6
    [InlineData("m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n", false)]
    [InlineData("m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=recvonly\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=sendrecv\r\n", true)]
    [InlineData("m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=recvonly\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=sendrecv\r\n", false)]
    public void Finds_whether_any_audio_section_sends(string media, bool sends) => Assert.Equal(sends, SdpAudioDirection.SendsAudio(Session + media));

    [Fact]
    public void A_session_level_direction_applies_to_sections_without_their_own()
    {
        Assert.False(SdpAudioDirection.SendsAudio("v=0\r\na=recvonly\r\nm=audio 9 RTP/AVP 0\r\n"));
        Assert.True(SdpAudioDirection.SendsAudio("v=0\r\na=recvonly\r\nm=audio 9 RTP/AVP 0\r\na=sendrecv\r\n"));
    }

    [Fact]
    public void Reads_the_escaped_json_string_as_the_client_sent_it_and_treats_garbage_as_sending()
    {
        var escaped = JsonSerializer.Serialize(Session + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=recvonly\r\n");
        Assert.False(SdpAudioDirection.SendsAudio(Encoding.UTF8.GetBytes(escaped[1..^1])));
        Assert.True(SdpAudioDirection.SendsAudio("\\x"u8));
        var random = new Random(7);
        for (var i = 0; i < 2000; i++)
        {
            var bytes = new byte[random.Next(0, 200)];
            random.NextBytes(bytes);
            _ = SdpAudioDirection.SendsAudio(bytes); // never throws
        }
    }
}
