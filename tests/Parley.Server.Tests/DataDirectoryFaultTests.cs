using System.Text.RegularExpressions;
using Parley.Testing;

namespace Parley.Server.Tests;

/// <summary>
/// The data directory on a tiny tmpfs (we run as root in CI), so a full disk and a read-only mount
/// are real: chat must go on, chat.log must say so once and must never hold a torn line.
/// </summary>
public sealed partial class DataDirectoryFaultTests : IAsyncLifetime
{
    private readonly string _mount = Path.Combine(Path.GetTempPath(), "parley-fs-" + Guid.NewGuid().ToString("N"));

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_mount);
        await Tmpfs.MountAsync(_mount, "256k");
    }

    public async Task DisposeAsync()
    {
        await Tmpfs.UnmountAsync(_mount);
        Directory.Delete(_mount);
    }

    [Fact]
    public async Task A_full_disk_drops_chat_log_lines_but_not_chat_and_writing_resumes_when_space_returns()
    {
        // chat.log is the subject here; the SQLite store refuses to deliver what it cannot store (store_failed).
        await using var server = await TestServer.StartAsync(o => o.Store = "memory", dataDirectory: _mount);
        await using var alice = await server.JoinTextAsync("alice");
        await using var bob = await server.JoinTextAsync("bob");
        await alice.SendLineAsync("before the disk fills");
        await bob.ExpectAsync("alice: before the disk fills");
        await server.Server.ChatLog.FlushAsync();

        var filler = Path.Combine(_mount, "filler");
        await Tmpfs.FillAsync(filler);
        var line = new string('x', 2000);
        for (var i = 0; i < 200 && !server.Server.ChatLog.IsFailing; i++)
        {
            await alice.SendLineAsync($"{i} {line}");
            await bob.ExpectAsync($"alice: {i} ");
            await server.Server.ChatLog.FlushAsync();
        }

        Assert.True(server.Server.ChatLog.IsFailing, "chat.log never noticed the full disk");
        Assert.True(server.Server.ChatLog.LostLines > 0);
        await alice.SendLineAsync("chat goes on");
        await bob.ExpectAsync("alice: chat goes on");

        File.Delete(filler);
        await Eventually.TrueAsync(
            () =>
            {
                server.Hub.Announce("probe");
                return !server.Server.ChatLog.IsFailing;
            },
            TimeSpan.FromSeconds(20),
            "chat.log writing again");
        await alice.SendLineAsync("after the disk has room");
        await bob.ExpectAsync("alice: after the disk has room");
        await server.Server.ChatLog.FlushAsync();
        AssertWellFormed(await File.ReadAllTextAsync(server.ChatLogPath), "alice: before the disk fills", "alice: after the disk has room");
    }

    [Fact]
    public async Task A_read_only_data_directory_keeps_chat_going_from_the_start()
    {
        await Tmpfs.RemountReadOnlyAsync(_mount);
        await using var server = await TestServer.StartAsync(o => { o.Tls = true; o.TlsPort = 0; o.Store = "memory"; }, dataDirectory: _mount);
        Assert.True(server.Server.ChatLog.IsFailing);
        await using var alice = await server.JoinTextAsync("alice");
        await using var bob = await server.JoinTextAsync("bob");
        await alice.SendLineAsync("nothing is written, everything is said");
        await bob.ExpectAsync("alice: nothing is written, everything is said");
        Assert.False(File.Exists(server.ChatLogPath));
    }

    [Fact]
    public async Task A_read_only_data_directory_with_the_sqlite_store_is_refused_at_start_with_a_clear_reason()
    {
        await Tmpfs.RemountReadOnlyAsync(_mount);
        var error = await Assert.ThrowsAsync<IOException>(() => TestServer.StartAsync(dataDirectory: _mount));
        Assert.Contains("cannot open the message store", error.Message);
        Assert.Contains("writable", error.Message);
    }

    private static void AssertWellFormed(string log, params string[] mustContain)
    {
        Assert.EndsWith("\n", log, StringComparison.Ordinal);
        foreach (var line in log.TrimEnd('\n').Split('\n'))
        {
            Assert.Matches(LogLine(), line);
        }

        foreach (var text in mustContain)
        {
            Assert.Contains(text, log, StringComparison.Ordinal);
        }
    }

    [GeneratedRegex(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \S")]
    private static partial Regex LogLine();
}
