using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Parley.Bench;

/// <summary>
/// Sends a phase's messages: sender s owns sequence numbers s, s+K, s+2K, ... Unthrottled, each
/// sender formats up to 64 KiB of lines and hands them to the socket in one write; at a rate, one
/// thread sends message n at start + n/rate, batching whatever is due per sender.
/// </summary>
internal sealed class Senders
{
    private const int BatchBytes = 64 * 1024;

    private readonly RunState _run;
    private readonly byte _kind;
    private readonly int _count;
    private long _sent;
    private long _lastSendAt;

    public Senders(RunState run, byte kind, int count)
    {
        _run = run;
        _kind = kind;
        _count = count;
    }

    /// <summary>Messages handed to the socket layer so far.</summary>
    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>When the last message was handed to the socket (Stopwatch ticks).</summary>
    public long LastSendAt => Interlocked.Read(ref _lastSendAt);

    /// <summary>How far behind schedule each paced message went out (rate mode only).</summary>
    public LatencyHistogram Lag { get; } = new();

    public Task RunAsync(double? rate, CancellationToken cancellationToken)
    {
        if (rate is not { } perSecond)
        {
            return Task.WhenAll(_run.Senders.Select(s => BurstAsync(s, cancellationToken)));
        }

        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                Pace(perSecond, cancellationToken);
                done.TrySetResult();
            }
            catch (Exception ex)
            {
                done.TrySetException(ex);
            }
        })
        {
            IsBackground = true,
            Name = "bench pacer",
            Priority = ThreadPriority.AboveNormal,
        };
        thread.Start();
        return done.Task;
    }

    private async Task BurstAsync(BenchConnection sender, CancellationToken cancellationToken)
    {
        var buffer = new byte[BatchBytes];
        var maxLine = _run.MaxMessageLineBytes;
        var senders = _run.SenderCount;
        long seq = sender.SenderIndex;
        try
        {
            while (seq < _count && !cancellationToken.IsCancellationRequested)
            {
                var length = 0;
                var batch = 0;
                var ticks = Stopwatch.GetTimestamp() - _run.BaseTimestamp;
                while (seq < _count && length + maxLine <= buffer.Length)
                {
                    length += _run.WriteMessageLine(buffer.AsSpan(length), _kind, seq, ticks, sender.SenderIndex);
                    seq += senders;
                    batch++;
                }

                await sender.SendAsync(buffer.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
                Interlocked.Add(ref _sent, batch);
                Interlocked.Exchange(ref _lastSendAt, Stopwatch.GetTimestamp());
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The server dropped this sender or the run ended: its remaining messages are not sent.
        }
    }

    private void Pace(double rate, CancellationToken cancellationToken)
    {
        var senders = _run.Senders.ToArray();
        var buffers = senders.Select(_ => new byte[BatchBytes]).ToArray();
        var lengths = new int[senders.Length];
        var alive = Enumerable.Repeat(true, senders.Length).ToArray();
        var maxLine = _run.MaxMessageLineBytes;
        var frequency = Stopwatch.Frequency;
        var start = Stopwatch.GetTimestamp();
        long next = 0;
        while (next < _count && !cancellationToken.IsCancellationRequested)
        {
            var now = Stopwatch.GetTimestamp();
            var due = Math.Min(_count, (long)((now - start) * rate / frequency) + 1);
            if (next >= due)
            {
                var wait = start + (long)(next * frequency / rate) - now;
                SleepTicks(wait);
                continue;
            }

            var ticks = now - _run.BaseTimestamp;
            for (; next < due; next++)
            {
                var s = (int)(next % senders.Length);
                if (!alive[s])
                {
                    continue;
                }

                if (lengths[s] + maxLine > BatchBytes)
                {
                    alive[s] = Flush(senders[s], buffers[s], ref lengths[s]);
                }

                lengths[s] += _run.WriteMessageLine(buffers[s].AsSpan(lengths[s]), _kind, next, ticks, s);
                Lag.Record(now - (start + (long)(next * frequency / rate)));
            }

            for (var s = 0; s < senders.Length; s++)
            {
                if (lengths[s] > 0 && alive[s])
                {
                    alive[s] = Flush(senders[s], buffers[s], ref lengths[s]);
                }
            }
        }
    }

    private bool Flush(BenchConnection sender, byte[] buffer, ref int length)
    {
        var lines = buffer.AsSpan(0, length).Count((byte)'\n');
        try
        {
            sender.Send(buffer.AsSpan(0, length));
            Interlocked.Add(ref _sent, lines);
            Interlocked.Exchange(ref _lastSendAt, Stopwatch.GetTimestamp());
            return true;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            return false;
        }
        finally
        {
            length = 0;
        }
    }

    // Thread.Sleep has millisecond resolution; nanosleep keeps a 1000 msg/s schedule within tens of µs.
    private static void SleepTicks(long ticks)
    {
        if (ticks <= 0)
        {
            return;
        }

        var nanoseconds = ticks * 1_000_000_000 / Stopwatch.Frequency;
        if (OperatingSystem.IsLinux())
        {
            var request = new TimeSpec { Seconds = nanoseconds / 1_000_000_000, Nanoseconds = nanoseconds % 1_000_000_000 };
            _ = NanoSleep(ref request, IntPtr.Zero);
        }
        else
        {
            Thread.Sleep(TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond, nanoseconds / 100)));
        }
    }

    [DllImport("libc", EntryPoint = "nanosleep")]
    private static extern int NanoSleep(ref TimeSpec request, IntPtr remaining);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
