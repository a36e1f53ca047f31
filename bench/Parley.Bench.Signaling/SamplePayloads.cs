using System.Globalization;
using System.Text;

namespace Parley.Bench.Signaling;

/// <summary>
/// Realistically sized negotiation payloads: an audio SDP of about 4 KB (what Chromium sends for one Opus
/// track plus a data channel) and an ICE candidate line whose relayed message is about 250 bytes.
/// </summary>
internal static class SamplePayloads
{
    public const int SdpBytes = 4000;

    public static string Sdp(string kind, int destinationIndex)
    {
        var sdp = new StringBuilder(SdpBytes + 200);
        sdp.Append("v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n");
        sdp.Append("a=x-").Append(kind).Append(' ').Append(BenchMarker.Placeholder(destinationIndex)).Append("\r\n");
        sdp.Append("a=group:BUNDLE 0 1\r\na=extmap-allow-mixed\r\na=msid-semantic: WMS 3c1a4e0d\r\n");
        sdp.Append("m=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126\r\nc=IN IP4 0.0.0.0\r\na=rtcp:9 IN IP4 0.0.0.0\r\n");
        sdp.Append("a=ice-ufrag:Zk3l\r\na=ice-pwd:9dV0Hq2yW4mRk6sT1bN8cXeLfA3gJ5pU\r\na=ice-options:trickle\r\n");
        sdp.Append("a=fingerprint:sha-256 3A:9F:12:7C:55:0E:B1:44:2D:8A:6B:91:C3:0F:7E:58:E2:1D:99:4B:6A:30:CF:12:8E:77:05:BD:41:6C:92:AF\r\n");
        sdp.Append("a=setup:actpass\r\na=mid:0\r\na=sendrecv\r\na=rtcp-mux\r\na=rtcp-rsize\r\n");
        int line = 0;
        while (sdp.Length < SdpBytes)
        {
            // Chromium repeats rtpmap/fmtp/rtcp-fb/extmap lines per codec and extension; these stand in for them.
            sdp.Append(CultureInfo.InvariantCulture, $"a=extmap:{line % 14 + 1} urn:ietf:params:rtp-hdrext:ssrc-audio-level\r\n");
            sdp.Append(CultureInfo.InvariantCulture, $"a=ssrc:{1_000_000 + line} cname:3c1a4e0d9f2b47a8 msid:3c1a4e0d track-{line}\r\n");
            line++;
        }

        return sdp.ToString();
    }

    public static string Candidate(int destinationIndex) =>
        "candidate:842163049 1 udp 1677729535 192.0.2.10 51306 typ srflx raddr 10.0.0.5 rport 51306 generation 0 " +
        "ufrag Zk3l network-id 1 network-cost 10 " + BenchMarker.Placeholder(destinationIndex);
}
