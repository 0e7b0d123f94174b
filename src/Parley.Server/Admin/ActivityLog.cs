namespace Parley.Server.Admin;

/// <summary>
/// The most recent server activity (chat.log lines and the server's own log), kept in memory for the
/// admin page. Bounded: old entries fall off. Readers long-poll with the last sequence number they saw.
/// </summary>
internal sealed class ActivityLog(TimeProvider time)
{
    public const int Capacity = 500;

    private readonly Lock _gate = new();
    private readonly Queue<ActivityEntry> _entries = new();
    private TaskCompletionSource? _changed; // only while someone waits: chat traffic alone allocates nothing extra
    private long _seq;

    public long LastSeq
    {
        get
        {
            lock (_gate)
            {
                return _seq;
            }
        }
    }

    public void Add(string kind, string text)
    {
        TaskCompletionSource? changed;
        lock (_gate)
        {
            _entries.Enqueue(new ActivityEntry(++_seq, time.GetUtcNow(), kind, text));
            while (_entries.Count > Capacity)
            {
                _entries.Dequeue();
            }

            changed = _changed;
            _changed = null;
        }

        changed?.TrySetResult();
    }

    /// <summary>Entries after <paramref name="after"/>, oldest first (at most the last <see cref="Capacity"/>).</summary>
    public IReadOnlyList<ActivityEntry> Read(long after, int max = Capacity)
    {
        lock (_gate)
        {
            return [.. _entries.Where(e => e.Seq > after).TakeLast(max)];
        }
    }

    /// <summary>Like <see cref="Read"/>, but when nothing is new yet waits up to <paramref name="wait"/> for it.</summary>
    public async Task<IReadOnlyList<ActivityEntry>> WaitAsync(long after, TimeSpan wait, CancellationToken cancellationToken)
    {
        Task changed;
        lock (_gate)
        {
            if (_seq > after || wait <= TimeSpan.Zero)
            {
                return Read(after);
            }

            _changed ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            changed = _changed.Task;
        }

        try
        {
            await changed.WaitAsync(wait, time, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            // Nothing new (or the client or server is going away): answer with what there is.
        }

        return Read(after);
    }
}
