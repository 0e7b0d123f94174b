using System.Net;
using System.Text.Json;
using Parley.Client;
using Parley.Testing;

namespace Parley.Server.Tests;

/// <summary>
/// An offer naming a SHA-256 the server already holds is shared at once, without an upload, over real
/// sockets, but only for content the offerer was given a share of.
/// </summary>
public sealed class FileDedupeTests : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly TempDataDirectory _dir = new("parley-file-dedupe") { ClearSqlitePools = false };

    public void Dispose()
    {
        _http.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task Content_shared_before_is_published_at_once_and_no_byte_is_uploaded()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.JoinJsonAsync("alice");
        await using var bob = await server.JoinJsonAsync("bob");
        await using var carol = await server.JoinTextAsync("carol");
        var (path, sha, bytes) = MakeFile(200_000);
        await UploadAsync(alice, "first.bin", path, sha);
        await bob.ExpectTypeAsync("file");

        // Bob was told of the share, so offering the same content needs no upload.
        await bob.SendAsync(new { type = "file_offer", name = "again.bin", size = bytes.Length, sha256 = sha });
        var answer = await bob.ExpectTypeAsync("file_upload");
        Assert.True(answer.GetProperty("complete").GetBoolean());
        Assert.False(answer.TryGetProperty("upload_url", out _));
        var file = await alice.ExpectTypeAsync("file", f => f.GetProperty("sender").GetString() == "bob");
        Assert.Equal(("again.bin", sha, "#general"), (file.GetProperty("name").GetString(), file.GetProperty("sha256").GetString(), file.GetProperty("room").GetString()));
        Assert.Equal(file.GetProperty("id").GetString(), answer.GetProperty("id").GetString());
        Assert.Equal(file.GetProperty("url").GetString(), answer.GetProperty("url").GetString());
        await carol.ExpectAsync("*** bob shared again.bin (195 KiB): ");
        Assert.Equal(0, server.Hub.Files!.UploadsInProgress);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(server.DataDirectory, "files", "uploads")));

        using var download = await _http.GetAsync(answer.GetProperty("url").GetString());
        Assert.Equal(bytes, await download.Content.ReadAsByteArrayAsync());
        Assert.Single(Directory.EnumerateFiles(Path.Combine(server.DataDirectory, "files", "blobs"), "*", SearchOption.AllDirectories));
        Assert.Equal(bytes.Length, server.Hub.Files.StoredBytes);
    }

    [Fact]
    public async Task Content_only_others_exchanged_privately_or_a_different_size_is_uploaded_as_usual()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.JoinJsonAsync("alice");
        await using var bob = await server.JoinJsonAsync("bob");
        await using var eve = await server.JoinJsonAsync("eve");
        var (path, sha, bytes) = MakeFile(5000);
        await UploadAsync(alice, "secret.bin", path, sha, target: "bob");

        // Eve knows the hash but was never sent the file: she gets an upload slot, not a link, and only
        // bytes that really match complete it.
        await eve.SendAsync(new { type = "file_offer", name = "guess.bin", size = bytes.Length, sha256 = sha });
        var slot = await eve.ExpectTypeAsync("file_upload");
        Assert.False(slot.TryGetProperty("complete", out _));
        using (var wrong = await PutAsync(slot, new byte[bytes.Length]))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, wrong.StatusCode);
        }

        // A private room's share does not count for someone outside it either.
        await alice.SendAsync(new { type = "command", line = "/join #secret private" });
        await alice.ExpectTypeAsync("room");
        var (roomPath, roomSha, roomBytes) = MakeFile(3000);
        await UploadAsync(alice, "inner.bin", roomPath, roomSha);
        await eve.SendAsync(new { type = "file_offer", name = "inner.bin", size = roomBytes.Length, sha256 = roomSha });
        Assert.True((await eve.ExpectTypeAsync("file_upload")).TryGetProperty("upload_url", out _));

        // Bob, who received the private file, may re-share it without uploading, but not under another size.
        await bob.SendAsync(new { type = "file_offer", name = "resized.bin", size = bytes.Length + 1, sha256 = sha });
        Assert.True((await bob.ExpectTypeAsync("file_upload")).TryGetProperty("upload_url", out _));
        await bob.SendAsync(new { type = "file_offer", name = "same.bin", size = bytes.Length, sha256 = sha });
        Assert.True((await bob.ExpectTypeAsync("file_upload")).GetProperty("complete").GetBoolean());
        Assert.Equal(2, server.Hub.Files!.UploadsInProgress); // eve's room guess and bob's resized offer
    }

    private async Task UploadAsync(JsonLineClient client, string name, string path, string sha, string? target = null)
    {
        await client.SendAsync(new { type = "file_offer", name, size = new FileInfo(path).Length, sha256 = sha, target });
        var upload = await client.ExpectTypeAsync("file_upload");
        Assert.True((await new FileUploader(_http).UploadAsync(new Uri(upload.GetProperty("upload_url").GetString()!), path, 65_536)).Complete);
        await client.ExpectTypeAsync("file", f => f.GetProperty("name").GetString() == name);
    }

    private Task<HttpResponseMessage> PutAsync(JsonElement slot, byte[] bytes) =>
        _http.PutAsync(slot.GetProperty("upload_url").GetString() + "&offset=0", new ByteArrayContent(bytes));

    private (string Path, string Sha, byte[] Bytes) MakeFile(int size) => _dir.WriteRandomFile(size);
}
