using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Parley.Core;

/// <summary>
/// The group-commit loop between accepting a message and delivering it: it takes everything queued,
/// stores it in one transaction, and only then hands the batch to the hub for fan-out, in order. So a
/// message is on disk before anyone sees it, the hub never waits on the disk under its lock, and a
/// busy server pays one commit per batch rather than per message.
/// </summary>
internal sealed class MessageWriter
{
    private const int MaxBatch = 2048;

    private readonly Channel<OutgoingMessage> _queue = Channel.CreateUnbounded<OutgoingMessage>(new UnboundedChannelOptions { SingleReader = true });
    private readonly IMessageStore _store;
    private readonly Action<List<OutgoingMessage>, IReadOnlyList<long>?> _deliver;
    private readonly FlowControl _flow;
    private readonly int _backlogLimit;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Task _loop;
    private readonly StoreHealth _health;
    private readonly long _backlogBytesLimit;
    private int _backlog;
    private long _backlogBytes;
    private long _batches;
    private long _stored;

    /// <param name="backlogBytesLimit">
    /// Input also pauses when the messages waiting would encode to this many bytes: a batch is delivered to every
    /// reader at once, after the readers' own flow control has already paused input, so the readers' queue bound
    /// must hold the congestion mark plus two batches. Counting messages alone let 256 long lines overflow it.
    /// </param>
    public MessageWriter(IMessageStore store, TimeProvider time, ILogger logger, FlowControl flow, int backlogLimit, long backlogBytesLimit, Action<List<OutgoingMessage>, IReadOnlyList<long>?> deliver)
    {
        _flow = flow;
        _backlogLimit = backlogLimit;
        _backlogBytesLimit = backlogBytesLimit;
        _store = store;
        _time = time;
        _logger = logger;
        _deliver = deliver;
        _health = new StoreHealth(time, logger);
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Messages accepted but not yet stored.</summary>
    public int Backlog => Volatile.Read(ref _backlog);

    public long Batches => Interlocked.Read(ref _batches);

    public long Stored => Interlocked.Read(ref _stored);

    /// <summary>False once the writer is completing (shutdown): the message is not accepted.</summary>
    public bool Submit(OutgoingMessage message)
    {
        // Counted first, so the reader can never take it below zero.
        var backlog = Interlocked.Increment(ref _backlog);
        var bytes = Interlocked.Add(ref _backlogBytes, Weight(message));

        // Paused before the message is queued, so the loop's release, which comes after it has taken the message,
        // always follows. Pausing after queueing lost that race now and then: the loop took the message, found
        // itself caught up and released, and only then did the pause land, with nothing left to release it.
        // All input stayed paused for good (likely what a TLS test hit once in a full run).
        if (backlog >= _backlogLimit || bytes >= _backlogBytesLimit)
        {
            _flow.StoreBehind(true);
        }

        if (!_queue.Writer.TryWrite(message))
        {
            Interlocked.Decrement(ref _backlog);
            Interlocked.Add(ref _backlogBytes, -Weight(message));
            ReleaseIfCaughtUp();
            return false;
        }

        return true;
    }

    /// <summary>Stores and delivers everything already accepted, then stops.</summary>
    public Task CompleteAsync()
    {
        _queue.Writer.TryComplete();
        return _loop;
    }

    private async Task RunAsync()
    {
        var batch = new List<OutgoingMessage>(64);
        var rows = new List<StoredMessage>(64);
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            rows.Clear();

            // One stamp per batch keeps timestamps in store order without a clock read per message.
            var now = _time.GetUtcNow();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var message))
            {
                Interlocked.Decrement(ref _backlog);
                Interlocked.Add(ref _backlogBytes, -Weight(message));
                message.Timestamp = now;
                batch.Add(message);
                if (message.Barrier is null)
                {
                    rows.Add(message.ToStored());
                }
            }

            IReadOnlyList<long>? ids;
            try
            {
                ids = _store.Append(rows);
                Interlocked.Increment(ref _batches);
                Interlocked.Add(ref _stored, rows.Count);
                _health.Succeeded();
            }
            catch (Exception ex)
            {
                // Nothing unstored is delivered; the senders are told, the loop lives on for the next batch.
                _health.Failed(ex, rows.Count);
                ids = null;
            }

            try
            {
                _deliver(batch, ids);
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "Delivering a batch of {Count} messages failed", batch.Count);
            }

            ReleaseIfCaughtUp();
        }
    }

    private void ReleaseIfCaughtUp()
    {
        if (Backlog < _backlogLimit / 2 && Interlocked.Read(ref _backlogBytes) < _backlogBytesLimit / 2)
        {
            _flow.StoreBehind(false);
        }
    }

    // What a message will cost each reader's queue, at most: JSON may escape a character into 6 bytes, plus the envelope.
    private static long Weight(OutgoingMessage message) => message.Barrier is null ? (message.Content.Length * 6L) + 200 : 0;
}
