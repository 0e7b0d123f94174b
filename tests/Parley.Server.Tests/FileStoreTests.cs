using System.Net;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Parley.Client;
using Parley.Core;
using Parley.Storage.Sqlite;
using Parley.Testing;

namespace Parley.Server.Tests;

/// <summary>File metadata in the message store (parley.db), on real files: restarts, migration, the old catalog.json.</summary>
public sealed class FileStoreTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private readonly string _data = Path.Combine(Path.GetTempPath(), "parley-filestore-" + Guid.NewGuid().ToString("N"));
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private string FilesDirectory => Path.Combine(_data, "files");

    public void Dispose()
    {
        _http.Dispose();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task A_shared_file_still_downloads_after_a_restart_and_expires_by_the_stored_time()
    {
        var bytes = RandomNumberGenerator.GetBytes(70_000);
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        string url;
        await using (var server = await StartAsync())
        {
            await using var alice = await server.JoinJsonAsync("alice");
            url = await ShareAsync(alice, "notes.bin", bytes, sha);
        }

        Assert.False(File.Exists(Path.Combine(FilesDirectory, "catalog.json")));
        using (var store = SqliteMessageStore.Open(Path.Combine(_data, SqliteMessageStore.FileName)))
        {
            var row = Assert.Single(store.Files.WithContent(sha));
            Assert.Equal(("notes.bin", 70_000L, "alice", "#general", (string?)null), (row.Name, row.Size, row.Sender, row.Room, row.Target));
        }

        // The second run's clock starts a day later than the share: retention counts from the stored time.
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow + TimeSpan.FromDays(1));
        await using (var server = await StartAsync(clock, TimeSpan.FromDays(2)))
        {
            // Same path and token; only the port is new.
            await AssertDownloadsAsync(server, new Uri(url).PathAndQuery, bytes);
            Assert.Equal(70_000, server.Hub.Files!.StoredBytes);

            clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
            server.Hub.Files.Sweep();
            Assert.Equal(0, server.Hub.Files.StoredBytes);
            Assert.Empty(Directory.EnumerateFiles(Path.Combine(FilesDirectory, "blobs"), "*", SearchOption.AllDirectories));
            using var gone = await _http.GetAsync(new Uri(server.WebUri, new Uri(url).PathAndQuery));
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        }
    }

    [Fact]
    public async Task A_version_two_database_is_migrated_and_the_old_catalog_json_imported_once()
    {
        // What an older Parley leaves behind: parley.db at schema 2, shares in files/catalog.json.
        Directory.CreateDirectory(_data);
        using (var connection = new SqliteConnection($"Data Source={Path.Combine(_data, SqliteMessageStore.FileName)};Pooling=False"))
        {
            connection.Open();
            SchemaMigrations.Apply(connection, target: 2);
            using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO messages (time, room, sender, content) VALUES (1, '#general', 'old', 'said before files moved');";
            insert.ExecuteNonQuery();
        }

        var bytes = RandomNumberGenerator.GetBytes(5000);
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        Directory.CreateDirectory(Path.Combine(FilesDirectory, "blobs", sha[..2]));
        await File.WriteAllBytesAsync(Path.Combine(FilesDirectory, "blobs", sha[..2], sha), bytes);
        var shared = DateTimeOffset.UtcNow.AddHours(-1).ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        await File.WriteAllTextAsync(Path.Combine(FilesDirectory, "catalog.json"), $$"""
            [
              {
                "Id": "0a1b2c3d4e5f",
                "Sha256": "{{sha}}",
                "Name": "old report.pdf",
                "Size": 5000,
                "Sender": "alice",
                "Target": null,
                "Token": "00112233445566778899aabbccddeeff",
                "SharedAt": "{{shared}}"
              },
              {
                "Id": "ffeeddccbbaa",
                "Sha256": "{{sha}}",
                "Name": "for bob.pdf",
                "Size": 5000,
                "Sender": "alice",
                "Target": "bob",
                "Token": "ffeeddccbbaa99887766554433221100",
                "SharedAt": "{{shared}}"
              }
            ]
            """);

        await using (var server = await StartAsync())
        {
            Assert.False(File.Exists(Path.Combine(FilesDirectory, "catalog.json")));
            Assert.True(File.Exists(Path.Combine(FilesDirectory, "catalog.json.imported")));
            await AssertDownloadsAsync(server, "/files/0a1b2c3d4e5f/old%20report.pdf?token=00112233445566778899aabbccddeeff", bytes);
            Assert.Equal(5000, server.Hub.Files!.StoredBytes);
            Assert.Equal("said before files moved", Assert.Single(server.Hub.Store.History("#general", null, 10)).Content);
        }

        using (var store = SqliteMessageStore.Open(Path.Combine(_data, SqliteMessageStore.FileName)))
        {
            Assert.Equal(SchemaMigrations.Latest, store.OpenedAtVersion);
            Assert.Equal(["alice"], store.Files.WithContent(sha).Select(f => f.Sender).Distinct());
            Assert.Equal("bob", store.Files.Find("ffeeddccbbaa")!.Target);
        }

        // The renamed file is never read again: its shares now live in parley.db alone.
        File.Delete(Path.Combine(FilesDirectory, "catalog.json.imported"));
        await using (var server = await StartAsync())
        {
            await AssertDownloadsAsync(server, "/files/ffeeddccbbaa/for%20bob.pdf?token=ffeeddccbbaa99887766554433221100", bytes);
        }
    }

    [Fact]
    public async Task With_the_memory_store_catalog_json_is_left_alone_for_a_later_durable_run()
    {
        Directory.CreateDirectory(FilesDirectory);
        const string old = "[]";
        await File.WriteAllTextAsync(Path.Combine(FilesDirectory, "catalog.json"), old);
        await using (var server = await StartAsync(configure: o => o.Store = "memory"))
        {
            Assert.Equal(0, server.Hub.Files!.StoredBytes);
        }

        Assert.Equal(old, await File.ReadAllTextAsync(Path.Combine(FilesDirectory, "catalog.json")));
    }

    [Fact]
    public void The_files_table_finds_by_id_content_and_age_and_counts_each_content_once()
    {
        using var store = SqliteMessageStore.Open(Path.Combine(_data, SqliteMessageStore.FileName));
        var a = new string('a', 64);
        var b = new string('b', 64);
        store.Files.Add(new StoredFile("f1", a, "one.txt", 100, "alice", null, "t1", T0) { Room = "#dev" });
        store.Files.Add(new StoredFile("f2", a, "same.txt", 100, "bob", "carol", "t2", T0.AddHours(1)));
        store.Files.Add(new StoredFile("f3", b, "other.txt", 7, "alice", null, "t3", T0.AddHours(2)) { Room = "#general" });

        Assert.Equal(107, store.Files.ContentBytes());
        Assert.Equal(new StoredFile("f1", a, "one.txt", 100, "alice", null, "t1", T0) { Room = "#dev" }, store.Files.Find("f1"));
        Assert.Null(store.Files.Find("nope"));
        Assert.Equal(["f1", "f2"], store.Files.WithContent(a).Select(f => f.Id));
        Assert.Equal(["f1", "f2"], store.Files.SharedBefore(T0.AddHours(1)).Select(f => f.Id));

        store.Files.Remove(["f1", "f3"]);
        Assert.Equal(["f2"], store.Files.WithContent(a).Select(f => f.Id));
        Assert.Empty(store.Files.WithContent(b));
        Assert.Equal(100, store.Files.ContentBytes());
    }

    private async Task<string> ShareAsync(JsonLineClient client, string name, byte[] bytes, string sha)
    {
        var path = Path.Combine(_data, "upload-" + name);
        await File.WriteAllBytesAsync(path, bytes);
        await client.SendAsync(new { type = "file_offer", name, size = bytes.Length, sha256 = sha });
        var upload = await client.ExpectTypeAsync("file_upload");
        var reply = await new FileUploader(_http).UploadAsync(new Uri(upload.GetProperty("upload_url").GetString()!), path, 16_384);
        Assert.True(reply.Complete);
        return (await client.ExpectTypeAsync("file")).GetProperty("url").GetString()!;
    }

    private async Task AssertDownloadsAsync(TestServer server, string path, byte[] bytes)
    {
        using var response = await _http.GetAsync(new Uri(server.WebUri, path));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(bytes, await response.Content.ReadAsByteArrayAsync());
    }

    private Task<TestServer> StartAsync(TimeProvider? time = null, TimeSpan? retention = null, Action<ServerOptions>? configure = null) => TestServer.StartAsync(
        o =>
        {
            o.DataDirectory = _data;
            if (retention is { } r)
            {
                o.Files.Retention = r;
            }

            configure?.Invoke(o);
        },
        time,
        _data);
}
