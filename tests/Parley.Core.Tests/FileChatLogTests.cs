using System.Text;

namespace Parley.Core.Tests;

public sealed class FileChatLogTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 11, 22, 14, 30, 25, 900, TimeSpan.Zero);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "parley-chatlog-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task Lines_are_written_as_local_date_time_and_text_once_flushed()
    {
        var path = Path.Combine(_directory, "nested", "chat.log");
        var zone = TimeZoneInfo.CreateCustomTimeZone("Test+02", TimeSpan.FromHours(2), "Test+02", "Test+02");
        await using var log = new FileChatLog(path, zone);

        log.Write(At, "*** alice joined the chat");
        log.Write(At.AddSeconds(1), "alice: caf\u00e9 \U0001F600");
        log.Write(new DateTimeOffset(2026, 12, 31, 23, 59, 59, TimeSpan.Zero), "[SERVER] happy new year");
        await log.FlushAsync();

        Assert.Equal(path, log.Path);
        Assert.Equal(
            "2026-11-22 16:30:25 *** alice joined the chat\n" +
            "2026-11-22 16:30:26 alice: caf\u00e9 \U0001F600\n" +
            "2027-01-01 01:59:59 [SERVER] happy new year\n",
            await ReadSharedAsync(path));
    }

    [Fact]
    public async Task Flush_puts_everything_written_before_it_on_disk_while_the_log_stays_open()
    {
        var path = Path.Combine(_directory, "chat.log");
        await using var log = new FileChatLog(path, TimeZoneInfo.Utc);

        for (var i = 0; i < 5000; i++)
        {
            log.Write(At, $"line {i}");
        }

        await log.FlushAsync();

        var lines = (await ReadSharedAsync(path)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5000, lines.Length);
        Assert.Equal("2026-11-22 14:30:25 line 4999", lines[^1]);
    }

    [Fact]
    public async Task Dispose_loses_nothing_and_keeps_the_order()
    {
        var path = Path.Combine(_directory, "chat.log");
        var log = new FileChatLog(path, TimeZoneInfo.Utc);
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(() =>
        {
            for (var i = 0; i < 5000; i++)
            {
                log.Write(At, $"w{w} {i}");
            }
        })).ToArray();
        await Task.WhenAll(writers);

        await log.DisposeAsync();

        var lines = (await File.ReadAllTextAsync(path)).Split('\n');
        Assert.Equal(string.Empty, lines[^1]);
        Assert.Equal(20_000, lines.Length - 1);
        for (var w = 0; w < 4; w++)
        {
            var mine = lines.Where(l => l.StartsWith($"2026-11-22 14:30:25 w{w} ", StringComparison.Ordinal)).Select(l => int.Parse(l.Split(' ')[^1], System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(Enumerable.Range(0, 5000), mine);
        }
    }

    [Fact]
    public async Task A_new_log_appends_to_an_existing_file()
    {
        var path = Path.Combine(_directory, "chat.log");
        Directory.CreateDirectory(_directory);
        await File.WriteAllTextAsync(path, "earlier\n");

        await using (var log = new FileChatLog(path, TimeZoneInfo.Utc))
        {
            log.Write(At, "later");
        }

        Assert.Equal("earlier\n2026-11-22 14:30:25 later\n", await File.ReadAllTextAsync(path));
    }

    [Fact]
    public async Task Flush_after_dispose_completes_and_later_writes_are_ignored()
    {
        var path = Path.Combine(_directory, "chat.log");
        var log = new FileChatLog(path, TimeZoneInfo.Utc);
        log.Write(At, "kept");
        await log.DisposeAsync();

        log.Write(At, "too late");
        await log.FlushAsync().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("2026-11-22 14:30:25 kept\n", await File.ReadAllTextAsync(path));
    }

    [Fact]
    public async Task A_cancelled_flush_is_cancelled()
    {
        var path = Path.Combine(_directory, "chat.log");
        await using var log = new FileChatLog(path, TimeZoneInfo.Utc);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => log.FlushAsync(new CancellationToken(canceled: true)));
    }

    [Fact]
    public async Task When_the_disk_is_full_flushing_fails_instead_of_hanging()
    {
        // /dev/full accepts the open and fails every write with ENOSPC, as a full disk does.
        // Shutdown awaits FlushAsync, so a flush that never completes would hang the server.
        var log = new FileChatLog("/dev/full", TimeZoneInfo.Utc);
        log.Write(At, "lost");

        await Assert.ThrowsAsync<IOException>(() => log.FlushAsync().WaitAsync(TimeSpan.FromSeconds(10)));
        log.Write(At, "also lost");
        await Assert.ThrowsAsync<IOException>(() => log.FlushAsync().WaitAsync(TimeSpan.FromSeconds(10)));
        await Assert.ThrowsAsync<IOException>(async () => await log.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
    }

    // The log holds the file open for writing; read it the way `tail` would.
    private static async Task<string> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await reader.ReadToEndAsync();
    }
}
