namespace Parley.Core.Tests;

/// <summary>An <see cref="IChatLog"/> that keeps lines in memory and counts flushes.</summary>
internal sealed class MemoryChatLog : IChatLog
{
    private readonly Lock _gate = new();
    private readonly List<(DateTimeOffset Time, string Line)> _entries = [];
    private int _flushes;

    public IReadOnlyList<(DateTimeOffset Time, string Line)> Entries
    {
        get
        {
            lock (_gate)
            {
                return [.. _entries];
            }
        }
    }

    public IReadOnlyList<string> Lines => [.. Entries.Select(e => e.Line)];

    /// <summary>How many lines had been written when FlushAsync was last called (-1 before any flush).</summary>
    public int LinesAtLastFlush { get; private set; } = -1;

    public int Flushes => Volatile.Read(ref _flushes);

    public void Write(DateTimeOffset time, string line)
    {
        lock (_gate)
        {
            _entries.Add((time, line));
        }
    }

    public Task FlushAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            LinesAtLastFlush = _entries.Count;
        }

        Interlocked.Increment(ref _flushes);
        return Task.CompletedTask;
    }
}
