using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Parley.Client;
using Parley.Testing;

namespace Parley.Server.Tests;

/// <summary>File sharing end to end: offer on the chat connection, bytes over HTTP, announcement, download.</summary>
public sealed class FileTransferTests : IDisposable
{
    private const int MiB = 1024 * 1024;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly TempDataDirectory _dir = new("parley-files-test");

    public void Dispose()
    {
        _http.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task Shared_file_reaches_json_and_text_users_and_downloads_with_the_same_hash()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.JoinJsonAsync("alice");
        await using var bob = await server.JoinJsonAsync("bob");
        await using var carol = await server.JoinTextAsync("carol");
        var (path, sha) = MakeFile("report.pdf", 3 * MiB + 17);

        var upload = await OfferAsync(alice, "report.pdf", new FileInfo(path).Length, sha);
        var reply = await new FileUploader(_http).UploadAsync(new Uri(upload.GetProperty("upload_url").GetString()!), path, upload.GetProperty("chunk_size").GetInt32());
        Assert.True(reply.Complete);

        var file = await bob.ExpectTypeAsync("file");
        Assert.Equal("alice", file.GetProperty("sender").GetString());
        Assert.Equal("report.pdf", file.GetProperty("name").GetString());
        Assert.Equal(3 * MiB + 17, file.GetProperty("size").GetInt64());
        Assert.Equal(sha, file.GetProperty("sha256").GetString());
        Assert.False(file.GetProperty("private").GetBoolean());
        await alice.ExpectTypeAsync("file");
        var url = file.GetProperty("url").GetString()!;
        Assert.StartsWith(server.WebUri.ToString().TrimEnd('/') + "/files/", url, StringComparison.Ordinal);

        var line = await carol.ExpectAsync(" shared ");
        Assert.Matches(@"^\[\d\d:\d\d:\d\d\] \*\*\* alice shared report\.pdf \(3\.0 MiB\): http://127\.0\.0\.1:\d+/files/\w+/report\.pdf\?token=\w+$", line);
        Assert.EndsWith(url, line, StringComparison.Ordinal);

        var saved = await new FileDownloader(_http).DownloadAsync(new Uri(url), Path.Combine(_dir.Path, "received"), "report.pdf", sha);
        Assert.Equal(sha, await FileDownloader.HashFileAsync(saved));
        Assert.Equal("report.pdf", Path.GetFileName(saved));

        // Never overwrite: the second copy gets a number.
        var again = await new FileDownloader(_http).DownloadAsync(new Uri(url), Path.Combine(_dir.Path, "received"), "report.pdf", sha);
        Assert.Equal("report (1).pdf", Path.GetFileName(again));
    }

    [Fact]
    public async Task A_file_shared_in_a_room_reaches_that_room_only()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.JoinJsonAsync("alice");
        await using var bob = await server.JoinJsonAsync("bob");
        await using var carol = await server.JoinTextAsync("carol");
        await alice.SendAsync(new { type = "command", line = "/join #dev" });
        await alice.ExpectTypeAsync("room");
        await bob.SendAsync(new { type = "command", line = "/join #dev" });
        await bob.ExpectTypeAsync("room");
        var (path, sha) = MakeFile("plan.txt", 1000);

        var upload = await OfferAsync(alice, "plan.txt", 1000, sha);
        var reply = await new FileUploader(_http).UploadAsync(new Uri(upload.GetProperty("upload_url").GetString()!), path, upload.GetProperty("chunk_size").GetInt32());
        Assert.True(reply.Complete);
        Assert.Equal("plan.txt", (await bob.ExpectTypeAsync("file")).GetProperty("name").GetString());

        // Carol, only in #general, sees a later #general line but never the file.
        await bob.SendAsync(new { type = "message", content = "for everyone", room = "#general" });
        await carol.ExpectAsync("bob: for everyone");
        Assert.DoesNotContain(carol.Seen, l => l.Contains("plan.txt", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Private_file_reaches_only_the_two_parties_and_needs_its_token()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.JoinJsonAsync("alice");
        await using var bob = await server.JoinJsonAsync("bob");
        await using var eve = await server.JoinJsonAsync("eve");
        var (path, sha) = MakeFile("secret.txt", 1000);

        var upload = await OfferAsync(alice, "secret.txt", 1000, sha, target: "bob");
        await new FileUploader(_http).UploadAsync(new Uri(upload.GetProperty("upload_url").GetString()!), path, 4096);
        var file = await bob.ExpectTypeAsync("file");
        Assert.True(file.GetProperty("private").GetBoolean());
        Assert.Equal("bob", file.GetProperty("target").GetString());
        Assert.Equal(file.GetProperty("url").GetString(), (await alice.ExpectTypeAsync("file")).GetProperty("url").GetString());

        // Eve sees a message sent after the file, and no file before it.
        await alice.SendAsync(new { type = "message", content = "after" });
        await eve.ExpectTypeAsync("message", m => m.GetProperty("content").GetString() == "after");
        Assert.DoesNotContain(eve.Lines.Seen, l => l.Contains("secret", StringComparison.Ordinal));

        var url = file.GetProperty("url").GetString()!;
        var withoutToken = url[..url.IndexOf('?', StringComparison.Ordinal)];
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync(withoutToken)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync(withoutToken + "?token=" + new string('0', 32))).StatusCode);
        using var ok = await _http.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(sha, Convert.ToHexStringLower(SHA256.HashData(await ok.Content.ReadAsByteArrayAsync())));
        Assert.Equal("attachment", ok.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Contains("sandbox", ok.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../../etc/passwd", "passwd")]
    [InlineData("/etc/shadow", "shadow")]
    [InlineData("..\\..\\windows\\win.ini", "win.ini")]
    [InlineData("CON.txt", "_CON.txt")]
    [InlineData("bad\u001b[31mname\u0007.txt", "badname.txt")]
    [InlineData("..", "file")]
    public async Task Dangerous_names_are_made_safe_before_anyone_sees_them(string offered, string expected)
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.JoinJsonAsync("alice");
        var (path, _) = MakeFile("x", 10);
        var upload = await OfferAsync(alice, offered, 10, null);
        Assert.Equal(expected, upload.GetProperty("name").GetString());
        await new FileUploader(_http).UploadAsync(new Uri(upload.GetProperty("upload_url").GetString()!), path, 4096);
        var file = await alice.ExpectTypeAsync("file");
        Assert.Equal(expected, file.GetProperty("name").GetString());
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(server.DataDirectory, "files", "uploads")));
    }

    [Fact]
    public async Task A_2000_character_name_is_shortened_keeping_its_extension()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.JoinJsonAsync("alice");
        var upload = await OfferAsync(alice, new string('a', 1996) + ".pdf", 10, null);
        var name = upload.GetProperty("name").GetString()!;
        Assert.True(name.Length <= 120, name);
        Assert.EndsWith(".pdf", name, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Oversize_and_over_quota_offers_are_refused_before_any_byte_is_sent()
    {
        await using var server = await TestServer.StartAsync(o =>
        {
            o.Files.MaxFileSize = 10 * MiB;
            o.Files.QuotaBytes = 12 * MiB;
        });
        await using var alice = await server.JoinJsonAsync("alice");
        await alice.SendAsync(new { type = "file_offer", name = "big.iso", size = 10 * MiB + 1 });
        var refused = await alice.ExpectTypeAsync("file_refused");
        Assert.Equal("file_too_large", refused.GetProperty("code").GetString());
        Assert.Contains("at most 10 MiB", refused.GetProperty("message").GetString(), StringComparison.Ordinal);

        await OfferAsync(alice, "a.bin", 8 * MiB, null); // reserves 8 of the 12 MiB
        await alice.SendAsync(new { type = "file_offer", name = "b.bin", size = 5 * MiB });
        Assert.Equal("quota_exceeded", (await alice.ExpectTypeAsync("file_refused")).GetProperty("code").GetString());

        await alice.SendAsync(new { type = "file_offer", name = "c.bin", size = "12" });
        Assert.Equal("invalid_field", (await alice.ExpectTypeAsync("error")).GetProperty("code").GetString());
    }

    [Fact]
    public async Task One_user_cannot_hold_more_than_a_few_uploads_in_progress_but_others_still_can()
    {
        await using var server = await TestServer.StartAsync(o => o.Files.MaxUploadsPerUser = 2);
        await using var alice = await server.JoinJsonAsync("alice");
        await using var bob = await server.JoinJsonAsync("bob");
        await OfferAsync(alice, "a.bin", 10, null);
        var second = await OfferAsync(alice, "b.bin", 10, null);

        await alice.SendAsync(new { type = "file_offer", name = "c.bin", size = 10 });
        var refused = await alice.ExpectTypeAsync("file_refused");
        Assert.Equal("too_many_uploads", refused.GetProperty("code").GetString());
        Assert.Contains("2 uploads in progress", refused.GetProperty("message").GetString(), StringComparison.Ordinal);
        await OfferAsync(bob, "d.bin", 10, null);

        // Finishing one frees its slot.
        using (var done = await PutAsync(second.GetProperty("upload_url").GetString()!, 0, new byte[10]))
        {
            done.EnsureSuccessStatusCode();
        }

        await alice.ExpectTypeAsync("file", f => f.GetProperty("name").GetString() == "b.bin");
        await OfferAsync(alice, "e.bin", 10, null);
    }

    [Fact]
    public async Task Out_of_order_and_wrong_hash_chunks_are_rejected_and_an_interrupted_upload_resumes()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.JoinJsonAsync("alice");
        await using var bob = await server.JoinJsonAsync("bob");
        var bytes = RandomNumberGenerator.GetBytes(3 * MiB);
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var upload = await OfferAsync(alice, "data.bin", bytes.Length, sha);
        var url = upload.GetProperty("upload_url").GetString()!;

        using (var first = await PutAsync(url, 0, bytes.AsMemory(0, MiB)))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        using (var skipped = await PutAsync(url, 2 * MiB, bytes.AsMemory(2 * MiB, MiB)))
        {
            Assert.Equal(HttpStatusCode.Conflict, skipped.StatusCode);
            Assert.Equal(MiB, (await Json(skipped)).GetProperty("offset").GetInt64());
        }

        using (var badHash = await PutAsync(url, MiB, bytes.AsMemory(MiB, MiB), chunkSha: new string('a', 64)))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, badHash.StatusCode);
        }

        // A chunk cut off half way (the client dies mid-request) is as if never sent.
        await SendTruncatedChunkAsync(new Uri(url + "&offset=" + MiB), declared: MiB, sent: MiB / 2);
        await Eventually.TrueAsync(() => server.Hub.Files!.UploadsInProgress == 1, TimeSpan.FromSeconds(5), "upload still open");

        var status = await new FileUploader(_http).StatusAsync(new Uri(url));
        Assert.Equal(MiB, status.Offset);
        Assert.DoesNotContain(bob.Lines.Seen, l => l.Contains("\"file\"", StringComparison.Ordinal));

        // The uploader resumes from the server's offset and completes.
        var path = Path.Combine(_dir.Path, "data.bin");
        await File.WriteAllBytesAsync(path, bytes);
        var reply = await new FileUploader(_http).UploadAsync(new Uri(url), path, MiB);
        Assert.True(reply.Complete);
        Assert.Equal(sha, (await bob.ExpectTypeAsync("file")).GetProperty("sha256").GetString());
    }

    [Fact]
    public async Task Wrong_whole_file_hash_discards_the_upload_and_announces_nothing()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.JoinJsonAsync("alice");
        var upload = await OfferAsync(alice, "x.bin", 100, new string('b', 64));
        using var response = await PutAsync(upload.GetProperty("upload_url").GetString()!, 0, new byte[100]);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(0, server.Hub.Files!.UploadsInProgress);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(server.DataDirectory, "files"), "*", SearchOption.AllDirectories));
        await alice.SendAsync(new { type = "ping" });
        await alice.ExpectTypeAsync("pong");
        Assert.DoesNotContain(alice.Lines.Seen, l => l.Contains("\"type\":\"file\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Abandoned_upload_is_deleted_after_the_timeout_and_a_sender_who_left_shares_nothing()
    {
        var clock = new ManualTimeProvider();
        await using var server = await TestServer.StartAsync(o => o.Files.UploadTimeout = TimeSpan.FromMinutes(10), clock);
        await using var alice = await server.JoinJsonAsync("alice");
        var upload = await OfferAsync(alice, "a.bin", 2000, null);
        using (await PutAsync(upload.GetProperty("upload_url").GetString()!, 0, new byte[1000]))
        {
        }

        var parts = Path.Combine(server.DataDirectory, "files", "uploads");
        Assert.Single(Directory.EnumerateFiles(parts));
        clock.Advance(TimeSpan.FromMinutes(11));
        server.Hub.Files!.Sweep();
        Assert.Empty(Directory.EnumerateFiles(parts));
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync(upload.GetProperty("upload_url").GetString())).StatusCode);

        // Offer, then leave the chat before the last byte: nothing is shared.
        var second = await OfferAsync(alice, "b.bin", 10, null);
        await alice.SendAsync(new { type = "quit" });
        await alice.Lines.WaitClosedAsync();
        await server.WaitForUsersAsync(0);
        using var late = await PutAsync(second.GetProperty("upload_url").GetString()!, 0, new byte[10]);
        Assert.Equal(HttpStatusCode.Gone, late.StatusCode);
        Assert.Empty(Directory.EnumerateFiles(parts));
    }

    [Fact]
    public async Task Same_content_shared_twice_is_stored_once_and_expires_after_retention()
    {
        var clock = new ManualTimeProvider();
        await using var server = await TestServer.StartAsync(o => o.Files.Retention = TimeSpan.FromDays(1), clock);
        await using var alice = await server.JoinJsonAsync("alice");
        await using var bob = await server.JoinJsonAsync("bob");
        var (path, sha) = MakeFile("same.bin", 5000);
        string? firstUrl = null;

        // Offered without its hash (as the browser does), the same content is uploaded twice and kept once.
        foreach (var (client, name) in new[] { (alice, "one.bin"), (bob, "two.bin") })
        {
            var upload = await OfferAsync(client, name, 5000, null);
            var reply = await new FileUploader(_http).UploadAsync(new Uri(upload.GetProperty("upload_url").GetString()!), path, 4096);
            Assert.True(reply.Complete);
            firstUrl ??= reply.Url;
        }

        var blobs = Directory.EnumerateFiles(Path.Combine(server.DataDirectory, "files", "blobs"), "*", SearchOption.AllDirectories).ToList();
        Assert.Equal(sha, Path.GetFileName(Assert.Single(blobs)));
        Assert.Equal(5000, server.Hub.Files!.StoredBytes);

        clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        server.Hub.Files.Sweep();
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(server.DataDirectory, "files", "blobs"), "*", SearchOption.AllDirectories));
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync(firstUrl)).StatusCode);
    }

    [Fact]
    public async Task Chat_keeps_flowing_while_a_large_upload_is_in_progress()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.JoinJsonAsync("alice");
        await using var bob = await server.JoinJsonAsync("bob");
        await using var carol = await server.JoinTextAsync("carol");
        var (path, sha) = MakeFile("big.bin", 10 * MiB);
        var upload = await OfferAsync(alice, "big.bin", 10 * MiB, sha);
        var url = new Uri(upload.GetProperty("upload_url").GetString()!);

        // Between every chunk, a message from each side must arrive before the next chunk goes.
        var progress = 0L;
        var reply = await new FileUploader(_http).UploadAsync(url, path, MiB, new SyncProgress(offset =>
        {
            progress = offset;
            if (offset < 10 * MiB)
            {
                var text = $"chunk {offset / MiB}";
                bob.SendAsync(new { type = "message", content = text }).GetAwaiter().GetResult();
                alice.ExpectTypeAsync("message", m => m.GetProperty("content").GetString() == text).GetAwaiter().GetResult();
                carol.ExpectAsync("bob: " + text).GetAwaiter().GetResult();
            }
        }));
        Assert.True(reply.Complete);
        Assert.Equal(10 * MiB, progress);
        Assert.Equal(sha, (await bob.ExpectTypeAsync("file")).GetProperty("sha256").GetString());
    }

    [Fact]
    public async Task Text_mode_cannot_offer_and_json_gets_files_disabled_without_a_web_port()
    {
        await using var server = await TestServer.StartAsync(o => o.WebPort = -1);
        await using var alice = await server.JoinJsonAsync("alice");
        await alice.SendAsync(new { type = "file_offer", name = "a.txt", size = 1 });
        Assert.Equal("files_disabled", (await alice.ExpectTypeAsync("error")).GetProperty("code").GetString());
        await using var carol = await server.JoinTextAsync("carol");
        await carol.SendLineAsync("/file_offer a 1");
        await carol.ExpectAsync("ERROR Unknown command");
    }

    private static async Task<JsonElement> OfferAsync(JsonLineClient client, string name, long size, string? sha, string? target = null)
    {
        await client.SendAsync(new { type = "file_offer", name, size, sha256 = sha, target });
        var upload = await client.ExpectTypeAsync("file_upload");
        Assert.Equal(size, upload.GetProperty("size").GetInt64());
        return upload;
    }

    private (string Path, string Sha) MakeFile(string name, int size)
    {
        var (path, sha, _) = _dir.WriteRandomFile(size, Guid.NewGuid().ToString("N") + "-" + Path.GetFileName(name));
        return (path, sha);
    }

    private Task<HttpResponseMessage> PutAsync(string url, long offset, ReadOnlyMemory<byte> bytes, string? chunkSha = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, url + "&offset=" + offset) { Content = new ReadOnlyMemoryContent(bytes) };
        if (chunkSha is not null)
        {
            request.Headers.Add("X-Chunk-Sha256", chunkSha);
        }

        return _http.SendAsync(request);
    }

    private static async Task<JsonElement> Json(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    // Announces a Content-Length it never finishes, then closes the socket: an upload interrupted mid-chunk.
    private static async Task SendTruncatedChunkAsync(Uri url, int declared, int sent)
    {
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(url.Host, url.Port);
        var stream = tcp.GetStream();
        var head = $"PUT {url.PathAndQuery} HTTP/1.1\r\nHost: {url.Authority}\r\nContent-Length: {declared}\r\n\r\n";
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(head));
        await stream.WriteAsync(new byte[sent]);
        await stream.FlushAsync();
        tcp.Client.Shutdown(System.Net.Sockets.SocketShutdown.Both);
    }

    // Progress<T> posts to the thread pool; the test needs the callback before the next chunk goes.
    private sealed class SyncProgress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
