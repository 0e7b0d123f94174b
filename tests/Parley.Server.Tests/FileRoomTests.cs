using System.Net;
using System.Text.Json;
using Parley.Client;
using Parley.Testing;

namespace Parley.Server.Tests;

/// <summary>Which room a file share belongs to, over real sockets: fixed at the offer, named like a message's.</summary>
public sealed class FileRoomTests : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly TempDataDirectory _dir = new("parley-file-rooms") { ClearSqlitePools = false };

    public void Dispose()
    {
        _http.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task A_share_names_its_room_in_json_and_text_lines_prefix_rooms_other_than_general()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.JoinJsonAsync("alice");
        await using var carol = await server.JoinTextAsync("carol");
        await JoinRoomAsync(alice, "#dev");
        await carol.SendLineAsync("/join #dev");
        await carol.ExpectAsync("*** You joined #dev");

        var dev = await ShareAsync(alice, "plan.txt", 1000);
        Assert.Equal("#dev", dev.GetProperty("room").GetString());
        Assert.Matches(@"^\[\d\d:\d\d:\d\d\] #dev \*\*\* alice shared plan\.txt \(1000 B\): http://127\.0\.0\.1:\d+/files/\w+/plan\.txt\?token=\w+$", await carol.ExpectAsync("shared plan.txt"));

        await alice.SendAsync(new { type = "command", line = "/join #general" });
        await alice.ExpectTypeAsync("room", r => r.GetProperty("room").GetString() == "#general");
        var general = await ShareAsync(alice, "all.txt", 10);
        Assert.Equal("#general", general.GetProperty("room").GetString());
        Assert.Matches(@"^\[\d\d:\d\d:\d\d\] \*\*\* alice shared all\.txt \(10 B\): http://", await carol.ExpectAsync("shared all.txt"));
    }

    [Fact]
    public async Task A_share_goes_to_the_room_it_was_offered_in_even_if_the_sender_switched_rooms_meanwhile()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.JoinJsonAsync("alice");
        await using var bob = await server.JoinJsonAsync("bob");
        await JoinRoomAsync(alice, "#dev");
        await JoinRoomAsync(bob, "#dev");
        await JoinRoomAsync(bob, "#ops");
        var (path, sha) = MakeFile(1000);
        var upload = await OfferAsync(alice, "plan.txt", 1000, sha);

        await JoinRoomAsync(alice, "#ops"); // now talking in #ops, still a member of #dev
        await new FileUploader(_http).UploadAsync(new Uri(upload.GetProperty("upload_url").GetString()!), path, 4096);
        Assert.Equal("#dev", (await bob.ExpectTypeAsync("file")).GetProperty("room").GetString());
    }

    [Fact]
    public async Task A_sender_who_left_the_room_before_the_last_byte_shares_nothing()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.JoinJsonAsync("alice");
        await using var bob = await server.JoinJsonAsync("bob");
        await JoinRoomAsync(alice, "#dev");
        await JoinRoomAsync(bob, "#dev");
        var (path, sha) = MakeFile(1000);
        var upload = await OfferAsync(alice, "plan.txt", 1000, sha);
        await alice.SendAsync(new { type = "part_room", room = "#dev" });
        await alice.ExpectTypeAsync("room", r => r.GetProperty("event").GetString() == "parted");

        using var content = new ByteArrayContent(await File.ReadAllBytesAsync(path));
        using var response = await _http.PutAsync(upload.GetProperty("upload_url").GetString() + "&offset=0", content);
        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        Assert.Contains("not in #dev any more", (await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);

        await bob.SendAsync(new { type = "ping" });
        await bob.ExpectTypeAsync("pong");
        Assert.DoesNotContain(bob.Lines.Seen, l => l.Contains("\"type\":\"file\"", StringComparison.Ordinal));
        Assert.Equal(0, server.Hub.Files!.StoredBytes);
    }

    [Fact]
    public async Task An_offer_naming_a_room_shares_it_there_whatever_room_the_sender_is_talking_in()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.JoinJsonAsync("alice");
        await using var bob = await server.JoinJsonAsync("bob");
        await JoinRoomAsync(alice, "#dev");
        await JoinRoomAsync(bob, "#dev");
        await JoinRoomAsync(alice, "#ops"); // talking in #ops now
        var (path, sha) = MakeFile(1000);

        await alice.SendAsync(new { type = "file_offer", name = "plan.txt", size = 1000, sha256 = sha, room = "#DEV" });
        var upload = await alice.ExpectTypeAsync("file_upload");
        await new FileUploader(_http).UploadAsync(new Uri(upload.GetProperty("upload_url").GetString()!), path, 4096);

        var shared = await bob.ExpectTypeAsync("file");
        Assert.Equal("#dev", shared.GetProperty("room").GetString()); // the room's own spelling
        Assert.Equal("#dev", server.Hub.Store.Files.Find(shared.GetProperty("id").GetString()!)!.Room);
    }

    [Fact]
    public async Task An_offer_naming_a_room_the_sender_is_not_in_or_also_a_target_is_refused_before_any_upload()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.JoinJsonAsync("alice");
        await using var bob = await server.JoinJsonAsync("bob");
        await JoinRoomAsync(bob, "#secret");
        var (_, sha) = MakeFile(1000);

        foreach (var room in new[] { "#secret", "#nowhere", "not-a-room" })
        {
            await alice.SendAsync(new { type = "file_offer", name = "plan.txt", size = 1000, sha256 = sha, room });
            var refused = await alice.ExpectTypeAsync("file_refused");
            Assert.Equal("not_in_room", refused.GetProperty("code").GetString());
            Assert.Contains($"You are not in {room}", refused.GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        await alice.SendAsync(new { type = "file_offer", name = "plan.txt", size = 1000, target = "bob", room = "#general" });
        Assert.Equal("invalid_file", (await alice.ExpectTypeAsync("file_refused")).GetProperty("code").GetString());
        Assert.Equal(0, server.Hub.Files!.UploadsInProgress);
    }

    private static async Task JoinRoomAsync(JsonLineClient client, string room)
    {
        await client.SendAsync(new { type = "join_room", room });
        await client.ExpectTypeAsync("room", r => r.GetProperty("room").GetString() == room);
    }

    private async Task<JsonElement> ShareAsync(JsonLineClient client, string name, int size)
    {
        var (path, sha) = MakeFile(size);
        var upload = await OfferAsync(client, name, size, sha);
        await new FileUploader(_http).UploadAsync(new Uri(upload.GetProperty("upload_url").GetString()!), path, 4096);
        return await client.ExpectTypeAsync("file", f => f.GetProperty("name").GetString() == name);
    }

    private static async Task<JsonElement> OfferAsync(JsonLineClient client, string name, long size, string sha)
    {
        await client.SendAsync(new { type = "file_offer", name, size, sha256 = sha });
        return await client.ExpectTypeAsync("file_upload");
    }

    private (string Path, string Sha) MakeFile(int size)
    {
        var (path, sha, _) = _dir.WriteRandomFile(size);
        return (path, sha);
    }
}
