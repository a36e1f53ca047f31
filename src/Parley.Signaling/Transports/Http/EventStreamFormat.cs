using System.Buffers;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;

namespace Parley.Signaling.Transports.Http;

/// <summary>
/// Writes the text/event-stream format (WHATWG HTML, "Server-sent events"): one event per message, its number as the
/// event's <c>id</c> so that a reconnecting <c>EventSource</c> sends it back as <c>Last-Event-ID</c>.
/// </summary>
internal static class EventStreamFormat
{
    private static readonly byte[] KeepAlive = ": keep-alive\n\n"u8.ToArray();
    private static readonly byte[] Reset = "event: reset\ndata: {}\n\n"u8.ToArray();

    /// <summary><c>id: N</c> and the message as <c>data:</c> lines.</summary>
    public static void WriteMessage(IBufferWriter<byte> output, long sequence, ReadOnlySpan<byte> message)
    {
        Write(output, "id: ");
        Write(output, sequence.ToString(CultureInfo.InvariantCulture));
        Write(output, "\ndata: ");

        // JSON holds line breaks only as whitespace between tokens (inside strings they are escaped), and a client
        // may have sent some that a relay kept: each starts a new data line, which the browser joins back with "\n".
        while (message.IndexOfAny((byte)'\n', (byte)'\r') is var lineBreak and >= 0)
        {
            output.Write(message[..lineBreak]);
            Write(output, "\ndata: ");
            message = message[(lineBreak + 1)..];
        }

        output.Write(message);
        Write(output, "\n\n");
    }

    /// <summary>The <c>close</c> event: the session ends with this WebSocket close code and reason.</summary>
    public static void WriteClose(IBufferWriter<byte> output, WebSocketCloseStatus status, string reason)
    {
        Write(output, "event: close\ndata: ");
        WriteCloseJson(output, status, reason);
        Write(output, "\n\n");
    }

    /// <summary><c>{"code":1012,"reason":"shutdown"}</c>; the reason is one of our stable codes, but escaped all the same.</summary>
    public static void WriteCloseJson(IBufferWriter<byte> output, WebSocketCloseStatus status, string reason)
    {
        using var json = new System.Text.Json.Utf8JsonWriter(output);
        WriteCloseJson(json, status, reason);
    }

    /// <summary>The same object as the value <paramref name="json"/> is at (a poll answer's <c>"close"</c>).</summary>
    public static void WriteCloseJson(System.Text.Json.Utf8JsonWriter json, WebSocketCloseStatus status, string reason)
    {
        json.WriteStartObject();
        json.WriteNumber("code", (int)status);
        json.WriteString("reason", reason);
        json.WriteEndObject();
    }

    /// <summary>A comment line: keeps proxies from cutting an idle stream.</summary>
    public static void WriteKeepAlive(IBufferWriter<byte> output) => output.Write(KeepAlive);

    /// <summary>The <c>reset</c> event: messages this client missed are gone; it must start over and resume.</summary>
    public static void WriteReset(IBufferWriter<byte> output) => output.Write(Reset);

    private static void Write(IBufferWriter<byte> output, string ascii)
    {
        var span = output.GetSpan(ascii.Length);
        var written = Encoding.ASCII.GetBytes(ascii, span);
        output.Advance(written);
    }
}
