using System.Globalization;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Parley.Core;

/// <summary>
/// Appends <c>2026-11-22 14:30:25 alice: text</c> lines to a file. The hub hands lines over without
/// waiting; one background loop writes them in batches and flushes whenever it catches up, so the
/// file is current within a moment and a graceful shutdown (<see cref="DisposeAsync"/>) loses nothing.
/// With a <see cref="ChatLogRotation"/> the file is rotated by size and by day, keeping N old files.
/// When the disk is full or the file cannot be written, chat goes on without it: the failure is
/// reported once, lines are counted as lost, the file is cut back to its last complete line (so no
/// torn line is ever left behind) and writing is retried every few seconds.
/// </summary>
public sealed class FileChatLog : IChatLog, IAsyncDisposable
{
    /// <summary>Lines waiting to be written; beyond this (a stalled disk) new lines are dropped and counted, never queued without bound.</summary>
    public const int MaxPendingLines = 65_536;

    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    private readonly Channel<Entry> _lines = Channel.CreateBounded<Entry>(new BoundedChannelOptions(MaxPendingLines) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly TimeZoneInfo _zone;
    private readonly ChatLogRotation? _rotation;
    private readonly ILogger _logger;
    private readonly Task _loop;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private FileStream? _file;
    private int _buffered;
    private long _committed;
    private DateOnly _day;
    private long _failedAt = long.MinValue;
    private long _lost;
    private long _lostReported;
    private volatile bool _closed;

    public FileChatLog(string path, TimeZoneInfo zone, ChatLogRotation? rotation = null, ILogger? logger = null)
    {
        Path = path;
        _zone = zone;
        _rotation = rotation;
        _logger = logger ?? NullLogger.Instance;
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
            Open();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A read-only or full data directory must not stop the chat from starting.
            Fail(ex);
        }

        _loop = Task.Run(WriteLoopAsync);
    }

    public string Path { get; }

    /// <summary>Lines that never reached the file (write failures, a full queue).</summary>
    public long LostLines => Interlocked.Read(ref _lost);

    /// <summary>True while the file cannot be written.</summary>
    public bool IsFailing => Volatile.Read(ref _failedAt) != long.MinValue;

    public void Write(DateTimeOffset time, string line)
    {
        if (!_lines.Writer.TryWrite(new Entry(time, line, null)) && !_closed)
        {
            Interlocked.Increment(ref _lost);
        }
    }

    public Task FlushAsync(CancellationToken cancellationToken = default)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var queued = _lines.Writer.WriteAsync(new Entry(default, null, done), cancellationToken);
        if (queued.IsCompleted)
        {
            // Completed writer (disposed): there is nothing left to flush.
            return queued.IsCompletedSuccessfully ? done.Task.WaitAsync(cancellationToken) : HandleRefusedAsync(queued);
        }

        return WaitQueuedAsync(queued, done, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        _closed = true;
        _lines.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
        CloseFile();
    }

    private static async Task WaitQueuedAsync(ValueTask queued, TaskCompletionSource done, CancellationToken cancellationToken)
    {
        try
        {
            await queued.ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            return;
        }

        await done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task HandleRefusedAsync(ValueTask queued)
    {
        try
        {
            await queued.ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
        }
    }

    private async Task WriteLoopAsync()
    {
        var reader = _lines.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var entry))
            {
                if (entry.Flushed is not null)
                {
                    Commit();
                    entry.Flushed.TrySetResult();
                    continue;
                }

                Append(entry);
            }

            Commit();
        }

        Commit();
    }

    private void Append(Entry entry)
    {
        if (IsFailing && !TryRecover())
        {
            Interlocked.Increment(ref _lost);
            return;
        }

        var local = TimeZoneInfo.ConvertTime(entry.Time, _zone);
        var text = $"{local.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} {entry.Line}\n";
        var bytes = Encoding.UTF8.GetBytes(text);
        try
        {
            var day = DateOnly.FromDateTime(local.DateTime);
            if (_rotation is { } rotation && _committed + _buffered > 0 &&
                ((rotation.Daily && day != _day) || (rotation.MaxBytes > 0 && _committed + _buffered + bytes.Length > rotation.MaxBytes)))
            {
                Commit();
                if (!IsFailing)
                {
                    Rotate();
                }
            }

            if (IsFailing)
            {
                Interlocked.Increment(ref _lost);
                return;
            }

            _day = day;
            if (_buffered + bytes.Length > _buffer.Length)
            {
                Commit();
                if (IsFailing)
                {
                    Interlocked.Increment(ref _lost);
                    return;
                }
            }

            if (bytes.Length > _buffer.Length)
            {
                _file!.Write(bytes);
                _file.Flush();
                _committed += bytes.Length;
                return;
            }

            bytes.CopyTo(_buffer.AsSpan(_buffered));
            _buffered += bytes.Length;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Interlocked.Increment(ref _lost);
            Fail(ex);
        }
    }

    // Writes what is buffered; on failure everything buffered counts as lost.
    private void Commit()
    {
        if (_buffered == 0 || _file is null)
        {
            return;
        }

        try
        {
            _file.Write(_buffer, 0, _buffered);
            _file.Flush();
            _committed += _buffered;
            _buffered = 0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Interlocked.Add(ref _lost, _buffer.AsSpan(0, _buffered).Count((byte)'\n'));
            _buffered = 0;
            Fail(ex);
        }
    }

    private void Fail(Exception ex)
    {
        if (!IsFailing)
        {
            _logger.LogError("chat.log: cannot write {Path} ({Error}); chat goes on, and lines are dropped until writing works again (retrying every {Seconds} s)", Path, ex.Message, RetryAfter.TotalSeconds);
        }

        Volatile.Write(ref _failedAt, Environment.TickCount64);
        _buffered = 0;
        CloseFile();
    }

    private bool TryRecover()
    {
        if (Environment.TickCount64 - Volatile.Read(ref _failedAt) < RetryAfter.TotalMilliseconds)
        {
            return false;
        }

        try
        {
            Open();
            Volatile.Write(ref _failedAt, long.MinValue);
            var lost = Interlocked.Read(ref _lost);
            _logger.LogWarning("chat.log: writing again; {Lost} lines were lost while it failed", lost - _lostReported);
            _lostReported = lost;
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Volatile.Write(ref _failedAt, Environment.TickCount64);
            CloseFile();
            return false;
        }
    }

    private void Open()
    {
        var stream = new FileStream(Path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete, 1);
        try
        {
            // A failed write or a crash may have left part of a line behind: cut back to the last complete one.
            var length = stream.CanSeek ? stream.Length : 0;
            if (stream.CanSeek)
            {
                length = TrimTornTail(stream, length);
                stream.Seek(length, SeekOrigin.Begin);
            }

            _committed = length;
            _day = length > 0 ? DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(new DateTimeOffset(File.GetLastWriteTimeUtc(Path), TimeSpan.Zero), _zone).DateTime) : default;
            _file = stream;
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    // A file that does not end in '\n' ends in a torn line (a crash or a failed write): drop it.
    private static long TrimTornTail(FileStream stream, long length)
    {
        if (length == 0)
        {
            return 0;
        }

        var window = new byte[(int)Math.Min(length, 64 * 1024)];
        stream.Seek(length - window.Length, SeekOrigin.Begin);
        stream.ReadExactly(window);
        if (window[^1] == (byte)'\n')
        {
            return length;
        }

        var last = Array.LastIndexOf(window, (byte)'\n');
        var keep = last < 0 ? (window.Length == length ? 0 : length) : length - window.Length + last + 1;
        stream.SetLength(keep);
        return keep;
    }

    private void Rotate()
    {
        try
        {
            CloseFile();
            var keep = Math.Max(1, _rotation!.Keep);
            File.Delete($"{Path}.{keep}");
            for (var i = keep - 1; i >= 1; i--)
            {
                if (File.Exists($"{Path}.{i}"))
                {
                    File.Move($"{Path}.{i}", $"{Path}.{i + 1}", overwrite: true);
                }
            }

            File.Move(Path, $"{Path}.1", overwrite: true);
            _committed = 0;
            Open();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Fail(ex);
        }
    }

    private void CloseFile()
    {
        try
        {
            _file?.Dispose();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Nothing was buffered in the stream (buffer size 1): a failing close loses nothing more.
        }

        _file = null;
    }

    private readonly record struct Entry(DateTimeOffset Time, string? Line, TaskCompletionSource? Flushed);
}
