using System.Text;
using Parley.Testing;

namespace Parley.Core.Tests;

public sealed class FileChatLogTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 11, 22, 14, 30, 25, 900, TimeSpan.Zero);
    private readonly TempDataDirectory _directory = new("parley-chatlog");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Lines_are_written_as_local_date_time_and_text_once_flushed()
    {
        var path = Path.Combine(_directory.Path, "nested", "chat.log");
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
        var path = Path.Combine(_directory.Path, "chat.log");
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
        var path = Path.Combine(_directory.Path, "chat.log");
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
        var path = Path.Combine(_directory.Path, "chat.log");
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
        var path = Path.Combine(_directory.Path, "chat.log");
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
        var path = Path.Combine(_directory.Path, "chat.log");
        await using var log = new FileChatLog(path, TimeZoneInfo.Utc);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => log.FlushAsync(new CancellationToken(canceled: true)));
    }

    [Fact]
    public async Task When_the_disk_is_full_lines_are_counted_lost_and_flushing_still_completes()
    {
        // /dev/full accepts the open and fails every write with ENOSPC, as a full disk does.
        // Shutdown awaits FlushAsync, so a flush that never completes would hang the server; a flush
        // that throws would stop chat, so the log reports once and goes on without the file.
        var logger = new ListLogger();
        var log = new FileChatLog("/dev/full", TimeZoneInfo.Utc, logger: logger);
        log.Write(At, "lost");

        await log.FlushAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(log.IsFailing);
        log.Write(At, "also lost");
        await log.FlushAsync().WaitAsync(TimeSpan.FromSeconds(10));
        await log.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(2, log.LostLines);
        var error = Assert.Single(logger.Messages);
        Assert.Contains("cannot write /dev/full", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_torn_last_line_left_by_a_crash_is_cut_off_when_the_log_reopens()
    {
        var path = Path.Combine(_directory.Path, "chat.log");
        await File.WriteAllTextAsync(path, "2026-11-22 14:30:24 whole\n2026-11-22 14:30:25 tor");

        await using (var log = new FileChatLog(path, TimeZoneInfo.Utc))
        {
            log.Write(At, "next");
        }

        Assert.Equal("2026-11-22 14:30:24 whole\n2026-11-22 14:30:25 next\n", await File.ReadAllTextAsync(path));
    }

    [Fact]
    public async Task Rotates_by_size_keeping_the_newest_files()
    {
        var path = Path.Combine(_directory.Path, "chat.log");
        var rotation = new ChatLogRotation { MaxBytes = 100, Daily = false, Keep = 2 };
        await using (var log = new FileChatLog(path, TimeZoneInfo.Utc, rotation))
        {
            // Each line is 20 + 20 + 1 = 41 bytes, so two fit in 100 and the third starts a new file.
            for (var i = 0; i < 8; i++)
            {
                log.Write(At, $"line {i:00} xxxxxxxxxxxx");
            }
        }

        Assert.Equal(["line 06", "line 07"], Contents(path));
        Assert.Equal(["line 04", "line 05"], Contents(path + ".1"));
        Assert.Equal(["line 02", "line 03"], Contents(path + ".2"));
        Assert.False(File.Exists(path + ".3"));
        Assert.All(Directory.GetFiles(_directory.Path), f => Assert.True(new FileInfo(f).Length <= 100));
    }

    [Fact]
    public async Task Rotates_on_the_first_line_of_a_new_local_day()
    {
        var path = Path.Combine(_directory.Path, "chat.log");
        var zone = TimeZoneInfo.CreateCustomTimeZone("Test+02", TimeSpan.FromHours(2), "Test+02", "Test+02");
        var rotation = new ChatLogRotation { MaxBytes = 0, Daily = true, Keep = 5 };
        var lateEvening = new DateTimeOffset(2026, 11, 22, 21, 59, 0, TimeSpan.Zero); // 23:59 local
        await using (var log = new FileChatLog(path, zone, rotation))
        {
            log.Write(lateEvening, "before midnight");
            log.Write(lateEvening.AddSeconds(59), "still the 22nd");
            log.Write(lateEvening.AddMinutes(1), "the 23rd");
        }

        Assert.Equal(["2026-11-23 00:00:00 the 23rd"], File.ReadAllLines(path));
        Assert.Equal(["2026-11-22 23:59:00 before midnight", "2026-11-22 23:59:59 still the 22nd"], File.ReadAllLines(path + ".1"));
    }

    private static string[] Contents(string path) => [.. File.ReadAllLines(path).Select(l => l[20..27])];

    // The log holds the file open for writing; read it the way `tail` would.
    private static async Task<string> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await reader.ReadToEndAsync();
    }
}
