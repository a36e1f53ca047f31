using Microsoft.Extensions.Logging;

namespace Parley.Server.Tests;

/// <summary>
/// A log provider that runs an action on the thread writing one event, the first time it is written: a seam to
/// make something happen at an exact point inside the server, such as between a close's claim and its last
/// message, a window a busy machine opens only now and then.
/// </summary>
internal sealed class LogEventHook(int eventId, Action action) : ILoggerProvider
{
    private int fired;

    private void OnEvent(EventId id)
    {
        if (id.Id == eventId && Interlocked.Exchange(ref fired, 1) == 0)
        {
            action();
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private sealed class Logger(LogEventHook hook) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId id, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            hook.OnEvent(id);
        }
    }
}
