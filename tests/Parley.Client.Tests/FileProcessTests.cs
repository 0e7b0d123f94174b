using System.Security.Cryptography;
using Parley.Protocol.Events;
using Parley.Testing;

namespace Parley.Client.Tests;

/// <summary>`parley chat` sending and receiving files as real processes.</summary>
public sealed class FileProcessTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("parley-chat-files-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Send_shares_a_file_and_auto_accept_saves_it_checked_and_never_overwriting()
    {
        await using var server = await TestServer.StartAsync();
        var port = server.ChatEndPoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var bytes = RandomNumberGenerator.GetBytes(10 * 1024 * 1024);
        var source = Path.Combine(_dir, "report.pdf");
        await File.WriteAllBytesAsync(source, bytes);
        var downloads = Path.Combine(_dir, "received");
        Directory.CreateDirectory(downloads);
        await File.WriteAllTextAsync(Path.Combine(downloads, "report.pdf"), "already here");

        await using var bob = ParleyProcess.Start("chat", "127.0.0.1", port, "--user", "bob", "--auto-accept", "--download-dir", downloads);
        await bob.ExpectAsync("Users online");
        await using var alice = ParleyProcess.Start("chat", "127.0.0.1", port, "--user", "alice");
        await alice.WriteLineAsync("/send " + source);
        alice.CloseInput();
        Assert.Equal(0, await alice.WaitForExitAsync());
        Assert.Contains(alice.Output, l => l.Contains("Uploading report.pdf (10 MiB)...", StringComparison.Ordinal));
        Assert.Contains(alice.Output, l => l.Contains("*** alice shared report.pdf (10 MiB)", StringComparison.Ordinal));

        await bob.ExpectAsync("*** alice shared report.pdf (10 MiB) - /accept 1 to save it");
        var saved = await bob.ExpectAsync("(SHA-256 checked)");
        Assert.Contains("report (1).pdf", saved, StringComparison.Ordinal);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(Path.Combine(downloads, "report (1).pdf")));
        Assert.Equal("already here", await File.ReadAllTextAsync(Path.Combine(downloads, "report.pdf")));
        bob.CloseInput();
        Assert.Equal(0, await bob.WaitForExitAsync());
    }

    [Fact]
    public async Task Sending_content_the_server_already_has_skips_the_upload()
    {
        await using var server = await TestServer.StartAsync();
        var port = server.ChatEndPoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var bob = await ChatClient.ConnectAsync("127.0.0.1", server.ChatEndPoint.Port);
        await bob.JoinAsync("bob");
        var source = Path.Combine(_dir, "slides.pdf");
        await File.WriteAllBytesAsync(source, RandomNumberGenerator.GetBytes(300_000));
        var copy = Path.Combine(_dir, "slides-copy.pdf");
        File.Copy(source, copy);

        await using var alice = ParleyProcess.Start("chat", "127.0.0.1", port, "--user", "alice");
        await alice.WriteLineAsync("/send " + source);
        await alice.ExpectAsync("*** alice shared slides.pdf (293 KiB)");
        await alice.WriteLineAsync("/send " + copy);
        alice.CloseInput();
        Assert.Equal(0, await alice.WaitForExitAsync());
        Assert.Single(alice.Output, l => l.Contains("Uploading ", StringComparison.Ordinal));
        Assert.Contains(alice.Output, l => l.Contains("slides-copy.pdf (293 KiB) is on the server already: shared without uploading", StringComparison.Ordinal));

        var first = await bob.NextAsync<FileSharedEvent>();
        var second = await bob.NextAsync<FileSharedEvent>();
        Assert.Equal(("slides.pdf", "slides-copy.pdf"), (first.Name, second.Name));
        Assert.Equal(first.Sha256, second.Sha256);
    }

    [Fact]
    public async Task Send_with_a_room_shares_there_whatever_room_is_current_and_a_room_not_joined_is_refused()
    {
        await using var server = await TestServer.StartAsync();
        var port = server.ChatEndPoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var bob = await ChatClient.ConnectAsync("127.0.0.1", server.ChatEndPoint.Port);
        await bob.JoinAsync("bob");
        await bob.SendCommandAsync("/join #dev");
        await bob.PingAsync();
        var plan = Path.Combine(_dir, "plan v2.txt");
        await File.WriteAllTextAsync(plan, "ship it");

        await using var alice = ParleyProcess.Start("chat", "127.0.0.1", port, "--user", "alice");
        foreach (var line in new[] { "/join #dev", "/join #ops", "/send #ops " + plan, "/send #dev " + plan, "/send #lobby " + plan })
        {
            await alice.WriteLineAsync(line);
        }

        alice.CloseInput();
        Assert.Equal(0, await alice.WaitForExitAsync());
        Assert.Contains(alice.Output, l => l.EndsWith("] *** #ops alice shared plan v2.txt (7 B)", StringComparison.Ordinal));
        Assert.Contains(alice.Output, l => l.EndsWith("] *** #dev alice shared plan v2.txt (7 B)", StringComparison.Ordinal));
        Assert.Contains(alice.Output, l => l.EndsWith("] error: not sent: You are not in #lobby; /join it first", StringComparison.Ordinal));

        var shared = await bob.NextAsync<FileSharedEvent>(); // bob is not in #ops: the first share never reaches him
        Assert.Equal(("plan v2.txt", "#dev"), (shared.Name, shared.Room));
    }

    [Fact]
    public async Task Private_send_and_accept_by_number_and_a_refused_oversize_file()
    {
        await using var server = await TestServer.StartAsync(o => o.Files.MaxFileSize = 1000);
        var port = server.ChatEndPoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var eve = await ChatClient.ConnectAsync("127.0.0.1", server.ChatEndPoint.Port);
        await eve.JoinAsync("eve");
        var small = Path.Combine(_dir, "note.txt");
        await File.WriteAllTextAsync(small, "just for bob");
        var big = Path.Combine(_dir, "big.bin");
        await File.WriteAllBytesAsync(big, new byte[1001]);
        var downloads = Path.Combine(_dir, "bob-files");

        await using var bob = ParleyProcess.Start("chat", "127.0.0.1", port, "--user", "bob", "--download-dir", downloads);
        await bob.ExpectAsync("Users online");
        await using var alice = ParleyProcess.Start("chat", "127.0.0.1", port, "--user", "alice");
        await alice.WriteLineAsync("/send " + big);
        await alice.WriteLineAsync("/send @bob " + small);
        alice.CloseInput();
        Assert.Equal(0, await alice.WaitForExitAsync());
        Assert.Contains(alice.Output, l => l.EndsWith("error: not sent: big.bin is 1001 B; files may be at most 1000 B", StringComparison.Ordinal));
        Assert.Contains(alice.Output, l => l.EndsWith("[PM to bob] sent note.txt (12 B)", StringComparison.Ordinal));

        await bob.ExpectAsync("[PM] alice sent you note.txt (12 B) - /accept 1 to save it");
        Assert.False(Directory.Exists(downloads)); // nothing saved until accepted
        await bob.WriteLineAsync("/accept 1");
        await bob.ExpectAsync("(SHA-256 checked)");
        Assert.Equal("just for bob", await File.ReadAllTextAsync(Path.Combine(downloads, "note.txt")));
        bob.CloseInput();
        Assert.Equal(0, await bob.WaitForExitAsync());

        // Eve, the third user, heard of neither file.
        await eve.PingAsync();
        var seen = new List<ServerEvent>();
        while (eve.Events.TryRead(out var evt))
        {
            seen.Add(evt);
        }

        Assert.DoesNotContain(seen, e => e is FileSharedEvent);
    }
}
