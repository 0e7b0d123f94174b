using Microsoft.Extensions.Logging;

namespace Parley.Core;

/// <summary>
/// The threads that answer history and search, so a slow query over a big history never holds up the store's
/// writer (and with it everyone's deliveries). Queries block on the disk, so they get threads of their own
/// rather than the thread pool's, whose few threads also run every connection's I/O; and at most
/// <c>max</c> of them, so a burst of searches queues instead of taking the machine. Threads start when work
/// arrives and end when none is left: an idle hub (and every hub a test forgets) holds none.
/// </summary>
internal sealed class ReadWorkers(int max, ILogger logger)
{
    private readonly Lock _gate = new();
    private readonly Queue<Action> _jobs = new();
    private TaskCompletionSource _idle = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _threads;

    /// <summary>Completes once every job posted so far has run.</summary>
    public Task Idle
    {
        get
        {
            lock (_gate)
            {
                return _threads == 0 ? Task.CompletedTask : _idle.Task;
            }
        }
    }

    /// <summary>Queues <paramref name="job"/>; it runs on a reader thread, in turn. Never blocks.</summary>
    public void Post(Action job)
    {
        lock (_gate)
        {
            _jobs.Enqueue(job);
            if (_threads >= max)
            {
                return;
            }

            if (_threads == 0)
            {
                _idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            _threads++;
        }

        new Thread(Work) { IsBackground = true, Name = "Parley reader" }.Start();
    }

    private void Work()
    {
        while (true)
        {
            Action? job;
            lock (_gate)
            {
                // Deciding to stop under the same lock as Post counts threads, so no job is left without one.
                if (!_jobs.TryDequeue(out job))
                {
                    if (--_threads == 0)
                    {
                        _idle.TrySetResult();
                    }

                    return;
                }
            }

            try
            {
                job();
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "A history or search query failed");
            }
        }
    }
}
