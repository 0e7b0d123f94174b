using System.Threading.Tasks.Sources;

namespace Parley.Core.Tests;

/// <summary>The rules that keep a completion from ever being taken for a later wait.</summary>
public sealed class SingleWaiterTests
{
    [Fact]
    public void A_completion_belongs_to_the_wait_it_ended_and_is_taken_once()
    {
        var waiter = new SingleWaiter<int>();
        Assert.False(waiter.Complete(1, null, out _));

        var first = waiter.Begin();
        Assert.Throws<InvalidOperationException>(() => waiter.Begin());
        Assert.Equal(ValueTaskSourceStatus.Pending, waiter.GetStatus(first));
        Assert.Throws<InvalidOperationException>(() => waiter.GetResult(first));

        Assert.True(waiter.Complete(7, null, out var registered));
        Assert.False(registered);
        Assert.False(waiter.Complete(8, null, out _));
        Assert.Equal(ValueTaskSourceStatus.Succeeded, waiter.GetStatus(first));
        Assert.Equal(7, waiter.GetResult(first));
        Assert.Throws<InvalidOperationException>(() => waiter.GetResult(first));

        // A later wait gets a new token; the old one is refused.
        var second = waiter.Begin();
        Assert.NotEqual(first, second);
        Assert.True(waiter.Complete(9, null, out _));
        Assert.Throws<InvalidOperationException>(() => waiter.GetResult(first));
        Assert.Equal(9, waiter.GetResult(second));
    }

    [Fact]
    public void A_continuation_registered_before_the_completion_is_handed_to_the_owner_once_and_one_registered_after_is_refused()
    {
        var waiter = new SingleWaiter<string>();
        var ran = 0;
        Action<object?> continuation = _ => ran++;

        waiter.Begin();
        Assert.True(waiter.TryRegister(continuation, "state"));
        Assert.True(waiter.Complete("done", null, out var registered));
        Assert.True(registered);
        Assert.Same(continuation, waiter.TakeContinuation(out var state));
        Assert.Equal("state", state);
        Assert.Null(waiter.TakeContinuation(out _));

        // Registering after the completion: the owner must run it (off its lock) itself.
        var token = waiter.Begin();
        Assert.True(waiter.Complete("again", null, out registered));
        Assert.False(registered);
        Assert.False(waiter.TryRegister(continuation, null));
        Assert.Equal("again", waiter.GetResult(token));
        Assert.Equal(0, ran);
    }

    [Fact]
    public void An_error_is_thrown_once_and_a_cancellation_reads_as_canceled()
    {
        var waiter = new SingleWaiter<bool>();
        var token = waiter.Begin();
        waiter.Complete(false, new OperationCanceledException(), out _);
        Assert.Equal(ValueTaskSourceStatus.Canceled, waiter.GetStatus(token));
        Assert.Throws<OperationCanceledException>(() => waiter.GetResult(token));

        token = waiter.Begin();
        waiter.Complete(false, new IOException("gone"), out _);
        Assert.Equal(ValueTaskSourceStatus.Faulted, waiter.GetStatus(token));
        Assert.Equal("gone", Assert.Throws<IOException>(() => waiter.GetResult(token)).Message);
    }
}
