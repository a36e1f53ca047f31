using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Parley.Server.Tests.LiveKit;

/// <summary>A log provider that keeps every event's id and message, for tests that assert what was logged.</summary>
internal sealed class RecordedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<(int Id, LogLevel Level, string Message)> events = new();

    public IReadOnlyList<(int Id, LogLevel Level, string Message)> Events => events.ToArray();

    public IReadOnlyList<string> Messages(int eventId) => events.Where(e => e.Id == eventId).Select(e => e.Message).ToList();

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private sealed class Logger(RecordedLogs logs) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            logs.events.Enqueue((eventId.Id, logLevel, formatter(state, exception)));
    }
}
