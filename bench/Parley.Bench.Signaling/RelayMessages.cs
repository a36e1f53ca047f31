using System.Text.Json;

namespace Parley.Bench.Signaling;

/// <summary>Serializes offer/answer/candidate messages in Parley's and in PeerJS's wire format.</summary>
internal static class RelayMessages
{
    /// <summary><c>{"type":"offer","to":ID,"sdp":...}</c> and <c>{"type":"candidate","to":ID,"candidate":{...}}</c>.</summary>
    public static byte[] ParleyStyle(MessageKind kind, string to, int destinationIndex) => Write(writer =>
    {
        writer.WriteString("type", kind.ToString().ToLowerInvariant());
        writer.WriteString("to", to);
        if (kind == MessageKind.Candidate)
        {
            writer.WritePropertyName("candidate");
            WriteCandidate(writer, destinationIndex);
        }
        else
        {
            writer.WriteString("sdp", SamplePayloads.Sdp(kind.ToString().ToLowerInvariant(), destinationIndex));
        }
    });

    /// <summary>PeerJS client messages: <c>{"type":"OFFER","dst":ID,"payload":{"sdp":{...},"type":"media",...}}</c>.</summary>
    public static byte[] PeerJsStyle(MessageKind kind, string dst, int destinationIndex) => Write(writer =>
    {
        writer.WriteString("type", kind.ToString().ToUpperInvariant());
        writer.WriteString("dst", dst);
        writer.WriteStartObject("payload");
        if (kind == MessageKind.Candidate)
        {
            writer.WritePropertyName("candidate");
            WriteCandidate(writer, destinationIndex);
        }
        else
        {
            writer.WriteStartObject("sdp");
            writer.WriteString("type", kind.ToString().ToLowerInvariant());
            writer.WriteString("sdp", SamplePayloads.Sdp(kind.ToString().ToLowerInvariant(), destinationIndex));
            writer.WriteEndObject();
        }

        writer.WriteString("type", "media");
        writer.WriteString("connectionId", "mc_bench0123456789");
        writer.WriteEndObject();
    });

    private static void WriteCandidate(Utf8JsonWriter writer, int destinationIndex)
    {
        writer.WriteStartObject();
        writer.WriteString("candidate", SamplePayloads.Candidate(destinationIndex));
        writer.WriteString("sdpMid", "0");
        writer.WriteNumber("sdpMLineIndex", 0);
        writer.WriteEndObject();
    }

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return stream.ToArray();
    }
}
