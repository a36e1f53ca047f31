using System.Text;

namespace Parley.Server.Tests;

/// <summary>One event of a text/event-stream: its <c>event</c> name (null: a message), <c>id</c> and joined <c>data</c> lines.</summary>
public sealed record ServerSentEvent(string? Event, long? Id, string Data);

/// <summary>
/// Reads a text/event-stream as a browser's EventSource does (WHATWG HTML, "Server-sent events", interpreting an
/// event stream): fields up to a blank line make an event, <c>data</c> lines join with "\n", comments are skipped.
/// </summary>
public sealed class EventStreamReader(Stream stream) : IDisposable
{
    private readonly StreamReader reader = new(stream, Encoding.UTF8);

    /// <summary>Comment lines seen (the server's keep-alives).</summary>
    public int Comments { get; private set; }

    /// <summary>The next event, or null when the stream ends.</summary>
    public async Task<ServerSentEvent?> ReadAsync(CancellationToken cancellationToken)
    {
        string? name = null;
        long? id = null;
        var data = new List<string>();
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                if (data.Count > 0 || name is not null)
                {
                    return new ServerSentEvent(name, id, string.Join('\n', data));
                }

                continue;
            }

            if (line[0] == ':')
            {
                Comments++;
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? "" : line[(colon + 1)..].TrimStart(' ');
            switch (field)
            {
                case "event": name = value; break;
                case "data": data.Add(value); break;
                case "id": id = long.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
            }
        }

        return null;
    }

    public void Dispose() => reader.Dispose();
}
