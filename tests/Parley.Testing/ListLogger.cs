using Microsoft.Extensions.Logging;

namespace Parley.Testing;

/// <summary>A logger that keeps every message with its level, for tests of what the operator is told.</summary>
public sealed class ListLogger : ILogger
{
    private readonly List<(LogLevel Level, string Text)> _entries = [];

    public IReadOnlyList<string> Messages
    {
        get
        {
            lock (_entries)
            {
                return [.. _entries.Select(e => e.Text)];
            }
        }
    }

    public IReadOnlyList<(LogLevel Level, string Text)> Entries
    {
        get
        {
            lock (_entries)
            {
                return [.. _entries];
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_entries)
        {
            _entries.Add((logLevel, formatter(state, exception)));
        }
    }
}
