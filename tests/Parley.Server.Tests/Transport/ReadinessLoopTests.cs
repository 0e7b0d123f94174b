using System.Text;
using Parley.Server.Transport;

namespace Parley.Server.Tests.Transport;

/// <summary>The epoll loop that tells idle lean-transport connections their socket became readable.</summary>
public sealed class ReadinessLoopTests
{
    [Fact]
    public void It_runs_wherever_epoll_is_there()
    {
        Assert.Equal(Epoll.IsSupported, ReadinessLoop.Shared is not null);
    }

    [Fact]
    public async Task An_idle_connection_waits_in_the_loop_without_a_posted_receive_and_leaves_it_when_closed()
    {
        var loop = ReadinessLoop.Shared;
        Assert.NotNull(loop);
        var pair = await LeanPair.ConnectAsync();
        var key = -1L;
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var reading = pair.Input.ReadAsync().AsTask();
                await pair.SendAsync(Encoding.ASCII.GetBytes($"line {i}\n"));
                var result = await reading.WaitAsync(LeanPair.Timeout);
                Assert.Equal($"line {i}\n", Encoding.ASCII.GetString(result.Buffer));
                pair.Input.AdvanceTo(result.Buffer.End);
            }

            key = pair.Input.ReadinessKey;
            Assert.Same(pair.Input, loop.Find(key));
            Assert.False(pair.Input.HasReceiver);
        }
        finally
        {
            await pair.DisposeAsync();
        }

        Assert.Null(loop.Find(key));
        Assert.Equal(-1, pair.Input.ReadinessKey);
    }

    [Fact]
    public async Task A_slot_given_up_and_taken_again_never_sends_the_old_keys_events_to_the_new_holder()
    {
        var loop = ReadinessLoop.Shared;
        Assert.NotNull(loop);
        await using var first = await LeanPair.ConnectAsync();
        await using var second = await LeanPair.ConnectAsync();
        var old = loop.Register(first.Input);
        loop.Unregister(old);
        var next = loop.Register(second.Input);
        try
        {
            Assert.Null(loop.Find(old));
            Assert.Same(second.Input, loop.Find(next));
        }
        finally
        {
            loop.Unregister(next);
        }
    }
}
