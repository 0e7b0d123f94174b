using System.Threading.Tasks.Sources;

namespace Parley.Core;

/// <summary>
/// The wait of a single consumer on something its owner guards with a lock, for an owner that is its own
/// <see cref="IValueTaskSource{TResult}"/>: a wait allocates nothing, so an idle connection holds no task.
/// </summary>
/// <remarks>
/// Every member must be called under the owner's lock. That is the point: a completion and the next wait
/// can then never interleave, so a completion can never be taken for a later wait (the race that
/// <see cref="ManualResetValueTaskSourceCore{TResult}"/> leaves to its callers). Continuations are never run
/// here: <see cref="Complete"/> says whether one is registered, the owner takes it with
/// <see cref="TakeContinuation"/> and runs it after leaving the lock.
/// </remarks>
public struct SingleWaiter<T>
{
    private Action<object?>? _continuation;
    private object? _continuationState;
    private T? _result;
    private Exception? _error;
    private short _version;
    private bool _waiting;
    private bool _ready;

    /// <summary>A wait has begun and not completed yet.</summary>
    public readonly bool IsWaiting => _waiting;

    /// <summary>Begins a wait; the token for the <see cref="ValueTask{TResult}"/> over the owner.</summary>
    public short Begin()
    {
        if (_waiting)
        {
            throw new InvalidOperationException("There is one waiter, and it is already waiting.");
        }

        _waiting = true;
        _ready = false;
        return ++_version;
    }

    /// <summary>
    /// Ends the wait in progress with <paramref name="result"/>, or <paramref name="error"/> to throw; false when
    /// none is in progress. True means a continuation is registered and the owner must run it
    /// (<see cref="TakeContinuation"/>) once out of its lock.
    /// </summary>
    public bool Complete(T result, Exception? error, out bool continuationRegistered)
    {
        continuationRegistered = false;
        if (!_waiting)
        {
            return false;
        }

        _waiting = false;
        _ready = true;
        _result = result;
        _error = error;
        continuationRegistered = _continuation is not null;
        return true;
    }

    /// <summary>The continuation registered for the completed wait, once.</summary>
    public Action<object?>? TakeContinuation(out object? state)
    {
        var continuation = _continuation;
        state = _continuationState;
        _continuation = null;
        _continuationState = null;
        return continuation;
    }

    public T GetResult(short token)
    {
        if (token != _version || !_ready)
        {
            throw new InvalidOperationException("The wait has not completed, or its result was already taken.");
        }

        _ready = false;
        var (result, error) = (_result, _error);
        _result = default;
        _error = null;
        if (error is not null)
        {
            throw error;
        }

        return result!;
    }

    public readonly ValueTaskSourceStatus GetStatus(short token) =>
        !_ready ? ValueTaskSourceStatus.Pending
        : _error is null ? ValueTaskSourceStatus.Succeeded
        : _error is OperationCanceledException ? ValueTaskSourceStatus.Canceled
        : ValueTaskSourceStatus.Faulted;

    /// <summary>
    /// Registers the awaiter's continuation; false when the wait already completed, in which case the owner
    /// must run it itself, after leaving its lock and not on the caller's stack (the thread pool).
    /// </summary>
    public bool TryRegister(Action<object?> continuation, object? state)
    {
        if (_ready)
        {
            return false;
        }

        _continuation = continuation;
        _continuationState = state;
        return true;
    }
}
