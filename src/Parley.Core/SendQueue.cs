using System.Buffers;
using System.Threading.Channels;
using System.Threading.Tasks.Sources;

namespace Parley.Core;

/// <summary>
/// A session's outgoing frames: many writers (the hub), one reader (the transport's write loop).
/// Bounded by count, and unlike a bounded Channel it holds no storage while idle: a lone frame (most wakes
/// carry one) sits in a field, and two or more in an array rented from the pool. The array is given back when
/// the reader finds the queue empty and waits, not at every drain: a reader kept busy by a fan-out keeps its
/// array from one batch to the next instead of renting one per wake, and an idle connection (many) holds none.
/// </summary>
/// <remarks>
/// The reader's wait is the queue itself (an <see cref="IValueTaskSource{TResult}"/> over a <see cref="SingleWaiter{T}"/>),
/// not a new task per wake: an idle connection then holds no task, and a wake allocates nothing (the queue is
/// its own thread-pool work item). The reader's continuation runs on the thread pool, never on a writer's stack.
/// </remarks>
internal sealed class SendQueue : ChannelReader<OutboundFrame>, IValueTaskSource<bool>, IThreadPoolWorkItem
{
    // The first array a second queued frame rents; the pool may hand out a larger one.
    private const int SmallCapacity = 8;

    private readonly Lock _gate = new();
    private readonly int _maxCount;
    // Made only if someone asks for Completion (the server's write loop does not): idle sessions are many.
    private TaskCompletionSource? _completion;
    // While no array is rented, the queue holds at most one frame, here. With an array, this is null.
    private OutboundFrame? _single;
    private OutboundFrame?[]? _items;
    private int _head;
    private int _count;
    private bool _writingDone;

    // The reader's wait: see the remarks.
    private SingleWaiter<bool> _waiter;
    private CancellationTokenRegistration _cancellation;

    public SendQueue(int maxCount) => _maxCount = maxCount;

    public override Task Completion
    {
        get
        {
            lock (_gate)
            {
                _completion ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                if (_writingDone && _count == 0)
                {
                    _completion.TrySetResult();
                }

                return _completion.Task;
            }
        }
    }

    public override bool CanCount => true;

    public override int Count
    {
        get
        {
            lock (_gate)
            {
                return _count;
            }
        }
    }

    /// <summary>Array slots currently held (for tests: a queue whose reader waits on it empty must hold none).</summary>
    internal int Capacity
    {
        get
        {
            lock (_gate)
            {
                return _items?.Length ?? 0;
            }
        }
    }

    private static ArrayPool<OutboundFrame?> Pool => ArrayPool<OutboundFrame?>.Shared;

    /// <summary>Adds a frame; false when the queue is full or no longer accepts frames.</summary>
    public bool TryWrite(OutboundFrame frame)
    {
        bool wake;
        lock (_gate)
        {
            if (_writingDone || _count >= _maxCount)
            {
                return false;
            }

            if (_items is not null)
            {
                if (_count == _items.Length)
                {
                    Grow();
                }

                _items[(_head + _count) % _items.Length] = frame;
            }
            else if (_count == 0)
            {
                _single = frame;
            }
            else
            {
                _items = Pool.Rent(SmallCapacity);
                _items[0] = _single;
                _items[1] = frame;
                _single = null;
                _head = 0;
            }

            _count++;
            wake = WakeLocked(true);
        }

        if (wake)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }

        return true;
    }

    /// <summary>No more frames will be written; the reader drains what is queued, then completes.</summary>
    public void Complete()
    {
        bool wake;
        lock (_gate)
        {
            if (_writingDone)
            {
                return;
            }

            _writingDone = true;
            wake = WakeLocked(false);
            if (_count == 0)
            {
                _completion?.TrySetResult();
            }
        }

        if (wake)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }

    public override bool TryRead(out OutboundFrame item)
    {
        lock (_gate)
        {
            if (_count == 0)
            {
                item = null!;
                return false;
            }

            if (_items is null)
            {
                item = _single!;
                _single = null;
            }
            else
            {
                item = _items[_head]!;
                _items[_head] = null;
                _head = (_head + 1) % _items.Length;
            }

            _count--;
            AfterTakeLocked();
            return true;
        }
    }

    /// <summary>Moves up to <c>into.Length</c> frames, oldest first, into <paramref name="into"/> under one lock; how many.</summary>
    public int TryReadMany(Span<OutboundFrame> into)
    {
        lock (_gate)
        {
            var n = Math.Min(_count, into.Length);
            if (_items is null)
            {
                if (n == 1)
                {
                    into[0] = _single!;
                    _single = null;
                }
            }
            else
            {
                for (var i = 0; i < n; i++)
                {
                    into[i] = _items[_head]!;
                    _items[_head] = null;
                    _head = (_head + 1) % _items.Length;
                }
            }

            _count -= n;
            AfterTakeLocked();
            return n;
        }
    }

    private void AfterTakeLocked()
    {
        if (_count != 0)
        {
            return;
        }

        _head = 0;
        if (_writingDone)
        {
            _completion?.TrySetResult();
        }
    }

    public override ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken = default)
    {
        short version;
        lock (_gate)
        {
            if (_count > 0)
            {
                return new ValueTask<bool>(true);
            }

            ReturnStorageLocked();
            if (_writingDone)
            {
                return new ValueTask<bool>(false);
            }

            cancellationToken.ThrowIfCancellationRequested();
            version = _waiter.Begin();
        }

        if (cancellationToken.CanBeCanceled)
        {
            _cancellation = cancellationToken.UnsafeRegister(static (state, token) => ((SendQueue)state!).Cancel(token), this);
        }

        return new ValueTask<bool>(this, version);
    }

    bool IValueTaskSource<bool>.GetResult(short token)
    {
        _cancellation.Dispose();
        _cancellation = default;
        lock (_gate)
        {
            return _waiter.GetResult(token);
        }
    }

    ValueTaskSourceStatus IValueTaskSource<bool>.GetStatus(short token)
    {
        lock (_gate)
        {
            return _waiter.GetStatus(token);
        }
    }

    void IValueTaskSource<bool>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
    {
        lock (_gate)
        {
            if (_waiter.TryRegister(continuation, state))
            {
                return;
            }
        }

        // Woken between the wait and this registration.
        ThreadPool.UnsafeQueueUserWorkItem(continuation, state, preferLocal: false);
    }

    // Runs the reader's continuation, queued by a wake; the reader cannot wait again before it has run.
    void IThreadPoolWorkItem.Execute()
    {
        Action<object?>? continuation;
        object? state;
        lock (_gate)
        {
            continuation = _waiter.TakeContinuation(out state);
        }

        continuation?.Invoke(state);
    }

    // Ends the reader's wait, if it is waiting; true when its continuation must be queued (it has registered one).
    private bool WakeLocked(bool result, Exception? error = null) =>
        _waiter.Complete(result, error, out var registered) && registered;

    private void Cancel(CancellationToken token)
    {
        bool wake;
        lock (_gate)
        {
            wake = WakeLocked(false, new OperationCanceledException(token));
        }

        if (wake)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }

    // The queue is empty and its reader is about to wait (or is done): it may stay idle for long.
    private void ReturnStorageLocked()
    {
        if (_items is not null)
        {
            // Every slot was cleared as it was read, so the pool gets a clean array.
            Pool.Return(_items);
            _items = null;
        }
    }

    private void Grow()
    {
        var items = _items!;
        var bigger = Pool.Rent(Math.Min(items.Length * 2, Math.Max(_maxCount, SmallCapacity)));
        for (var i = 0; i < _count; i++)
        {
            bigger[i] = items[(_head + i) % items.Length];
        }

        // Cleared so that the pool does not keep these frames alive.
        Array.Clear(items);
        Pool.Return(items);
        _items = bigger;
        _head = 0;
    }
}
