using System.Globalization;
using System.Text;
using System.Threading.Channels;

namespace Parley.Core;

/// <summary>
/// Appends <c>2026-11-22 14:30:25 alice: text</c> lines to a file. The hub hands lines over without
/// waiting; one background loop writes them in batches and flushes whenever it catches up, so the
/// file is current within a moment and a graceful shutdown (<see cref="DisposeAsync"/>) loses nothing.
/// </summary>
public sealed class FileChatLog : IChatLog, IAsyncDisposable
{
    private readonly Channel<Entry> _lines = Channel.CreateUnbounded<Entry>(new UnboundedChannelOptions { SingleReader = true });
    private readonly StreamWriter _writer;
    private readonly TimeZoneInfo _zone;
    private readonly Task _loop;
    private TaskCompletionSource? _flushing;

    public FileChatLog(string path, TimeZoneInfo zone)
    {
        Path = path;
        _zone = zone;
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 64 * 1024);
        _writer = new StreamWriter(stream, new UTF8Encoding(false)) { AutoFlush = false, NewLine = "\n" };
        _loop = Task.Run(RunWriteLoopAsync);
    }

    public string Path { get; }

    public void Write(DateTimeOffset time, string line) => _lines.Writer.TryWrite(new Entry(time, line, null));

    public Task FlushAsync(CancellationToken cancellationToken = default)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_lines.Writer.TryWrite(new Entry(default, null, done)))
        {
            return _loop;
        }

        return done.Task.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        _lines.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
        await _writer.DisposeAsync().ConfigureAwait(false);
    }

    private async Task RunWriteLoopAsync()
    {
        try
        {
            await WriteLoopAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // Nothing more can be written (disk full, I/O error). Fail every waiting and later flush
            // rather than leave them, and the shutdown that awaits them, pending forever.
            _lines.Writer.TryComplete(ex);
            _flushing?.TrySetException(ex);
            while (_lines.Reader.TryRead(out var entry))
            {
                entry.Flushed?.TrySetException(ex);
            }

            throw;
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
                    _flushing = entry.Flushed;
                    await _writer.FlushAsync().ConfigureAwait(false);
                    entry.Flushed.TrySetResult();
                    continue;
                }

                var local = TimeZoneInfo.ConvertTime(entry.Time, _zone);
                await _writer.WriteLineAsync($"{local.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} {entry.Line}").ConfigureAwait(false);
            }

            await _writer.FlushAsync().ConfigureAwait(false);
        }

        await _writer.FlushAsync().ConfigureAwait(false);
    }

    private readonly record struct Entry(DateTimeOffset Time, string? Line, TaskCompletionSource? Flushed);
}
