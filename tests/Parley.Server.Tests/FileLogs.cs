using Microsoft.Extensions.Logging;

namespace Parley.Server.Tests;

/// <summary>
/// With <c>PARLEY_TEST_LOG_DIR</c> set, each test server writes its Debug log to a file of its own there, to find
/// out afterwards what a server did in a test that failed once in many runs. Off by default.
/// </summary>
internal sealed class FileLogs : ILoggerProvider
{
    private readonly StreamWriter writer;

    private FileLogs(string path) => writer = new StreamWriter(path, append: true) { AutoFlush = true };

    public static FileLogs? FromEnvironment() =>
        Environment.GetEnvironmentVariable("PARLEY_TEST_LOG_DIR") is { Length: > 0 } directory
            ? new FileLogs(Path.Combine(directory, $"server-{Guid.NewGuid():N}.log"))
            : null;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
        lock (writer)
        {
            writer.Dispose();
        }
    }

    private void Write(string line)
    {
        lock (writer)
        {
            writer.WriteLine(line);
        }
    }

    private sealed class Logger(FileLogs logs, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            try
            {
                logs.Write($"{DateTime.UtcNow:HH:mm:ss.ffffff} [{Environment.CurrentManagedThreadId}] {logLevel} {category}: {formatter(state, exception)} {exception}");
            }
            catch (ObjectDisposedException)
            {
                // A late message after the server's test ended.
            }
        }
    }
}
