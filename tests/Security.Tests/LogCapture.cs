using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Confide.Security.Tests;

/// <summary>Keeps the app's log entries in memory, so a test can tell which filter refused a request.</summary>
public sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<Entry> _entries = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Clear() => _entries.Clear();

    public IReadOnlyList<Entry> Entries => [.. _entries];

    public void Dispose()
    {
    }

    public sealed record Entry(string Category, EventId EventId, LogLevel Level, string Message);

    private sealed class Logger(LogCapture owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner._entries.Enqueue(new Entry(category, eventId, logLevel, formatter(state, exception)));
    }
}
