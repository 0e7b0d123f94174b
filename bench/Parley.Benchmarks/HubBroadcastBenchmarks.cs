using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using Parley.Core;
using Parley.Protocol;

namespace Parley.Benchmarks;

/// <summary>
/// One chat line broadcast through the hub to 1,000 in-memory sessions. Drained: the benchmark then
/// takes every frame off every queue, as the write loops would (minus the socket). Woken: 1,000 real
/// async drain loops wait on the queues like the server's write loops, so the cost of waking them
/// (one thread-pool work item and one waiter per session per message) is in the figure.
/// </summary>
public class HubBroadcastBenchmarks
{
    private const int Members = 1000;
    private const string Line = "hello everyone, this is a chat line of about sixty-four bytes!!";

    private readonly ManualResetEventSlim _allDrained = new();
    private Hub _hub = null!;
    private Session[] _sessions = [];
    private Task[] _loops = [];
    private int _pending;

    /// <summary>Text only, or every second session on JSON (two serializations per broadcast).</summary>
    [Params("text", "mixed")]
    public string Protocols { get; set; } = "text";

    [GlobalSetup(Targets = [nameof(Broadcast_to_1000_drained)])]
    public void SetupDrained() => Join();

    [GlobalSetup(Targets = [nameof(Broadcast_to_1000_woken_write_loops)])]
    public void SetupWoken()
    {
        Join();
        _loops = [.. _sessions.Select(DrainLoopAsync)];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var session in _sessions)
        {
            session.Close("benchmark over");
        }

        Task.WaitAll(_loops);
    }

    [Benchmark]
    public long Broadcast_to_1000_drained()
    {
        _hub.HandleLine(_sessions[0], Line);
        return DrainAll();
    }

    [Benchmark]
    public bool Broadcast_to_1000_woken_write_loops()
    {
        Volatile.Write(ref _pending, Members);
        _hub.HandleLine(_sessions[0], Line);
        _allDrained.Wait();
        _allDrained.Reset();
        return true;
    }

    private void Join()
    {
        // Not a large room: its presence summary, due a few seconds after the joins, would put one more frame in
        // every queue and throw off the count the woken benchmark waits for (it then waited forever: the "lost
        // wake-up" that got a value-task-source send queue reverted was this).
        _hub = new Hub(new HubOptions { RateLimit = 0, MaxClients = Members + 1, LargeRoom = 0 }, TimeProvider.System, new NullChatLog(), NullLogger<Hub>.Instance);
        _sessions = new Session[Members];
        for (var i = 0; i < Members; i++)
        {
            var json = Protocols == "mixed" && i % 2 == 1;
            var session = _hub.Connect("memory", "bench", json ? ProtocolKind.Json : ProtocolKind.Text);
            if (json)
            {
                _hub.HandleRequest(session, new ClientRequest("join") { Username = "user" + i });
            }
            else
            {
                _hub.HandleLine(session, "user" + i);
            }

            _sessions[i] = session;
            if (i % 100 == 99)
            {
                DrainAll(); // join notices: keep every queue far below its bound
            }
        }

        DrainAll();
    }

    private long DrainAll()
    {
        long bytes = 0;
        foreach (var session in _sessions)
        {
            if (session is null)
            {
                continue;
            }

            while (session.Outbound.TryRead(out var frame))
            {
                bytes += frame.GetBytes(session.Protocol).Length;
                session.Dequeued(frame);
            }
        }

        return bytes;
    }

    // Waits and takes frames the way ChatConnectionHandler's write loop does: no token (aborting completes
    // the queue), frames taken in batches under one lock.
    private async Task DrainLoopAsync(Session session)
    {
        var queue = session.Outbound;
        var batch = new OutboundFrame[64];
        while (await queue.WaitToReadAsync().ConfigureAwait(false))
        {
            int taken;
            while ((taken = session.Take(batch)) > 0)
            {
                session.Dequeued(batch.AsSpan(0, taken));
                if (Interlocked.Add(ref _pending, -taken) == 0)
                {
                    _allDrained.Set();
                }
            }
        }
    }
}
