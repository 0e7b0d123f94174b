using System.Text;
using System.Text.Json;
using Parley.Protocol.Events;

namespace Parley.Protocol.Tests;

public sealed class FileProtocolTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 22, 14, 30, 25, 123, TimeSpan.Zero);

    [Theory]
    [InlineData("report.pdf", "report.pdf")]
    [InlineData("../../../etc/passwd", "passwd")]
    [InlineData("C:\\Windows\\System32\\cmd.exe", "cmd.exe")]
    [InlineData("/absolute/path/x.txt", "x.txt")]
    [InlineData("dir/", "file")]
    [InlineData("...", "file")]
    [InlineData(".bashrc", "bashrc")]
    [InlineData("name. . .", "name")]
    [InlineData("nul", "_nul")]
    [InlineData("COM1.tar.gz", "_COM1.tar.gz")]
    [InlineData("lpt9.txt", "_lpt9.txt")]
    [InlineData("a<b>c:d\"e|f?g*h.txt", "a_b_c_d_e_f_g_h.txt")]
    [InlineData("evil\u001b]0;title\u0007.txt", "evil.txt")]
    [InlineData("tab\there\nnewline.txt", "tab here newline.txt")]
    [InlineData("rtl\u202Etxt.exe", "rtltxt.exe")]
    [InlineData("", "file")]
    [InlineData("  ", "file")]
    public void Names_are_made_safe(string offered, string expected) => Assert.Equal(expected, FileNameRules.Sanitize(offered));

    [Fact]
    public void Long_names_are_cut_keeping_the_extension_and_whole_characters()
    {
        var name = FileNameRules.Sanitize(new string('x', 2000) + ".tar");
        Assert.Equal(FileNameRules.MaxLength, name.Length);
        Assert.EndsWith("x.tar", name, StringComparison.Ordinal);

        var emoji = FileNameRules.Sanitize(string.Concat(Enumerable.Repeat("😀", 200)) + ".png");
        Assert.True(emoji.Length <= FileNameRules.MaxLength);
        Assert.False(char.IsHighSurrogate(emoji[^5]), "a surrogate pair was split");
        Assert.EndsWith(".png", emoji, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, "0 B")]
    [InlineData(1023, "1023 B")]
    [InlineData(1024, "1.0 KiB")]
    [InlineData(1258291, "1.2 MiB")]
    [InlineData(104857600, "100 MiB")]
    public void Sizes_read_like_people_write_them(long bytes, string expected) => Assert.Equal(expected, ByteSize.Format(bytes));

    [Fact]
    public void File_offer_parses_name_size_hash_and_target()
    {
        var line = """{"type":"file_offer","name":"a.pdf","size":1234567890123,"sha256":"ab","target":"bob"}"""u8;
        Assert.True(JsonRequestParser.TryParse(line, out var request, out _));
        Assert.Equal(new ClientRequest("file_offer") { Name = "a.pdf", Size = 1234567890123, Sha256 = "ab", Target = "bob" }, request);
    }

    [Theory]
    [InlineData("""{"type":"file_offer","size":"12"}""")]
    [InlineData("""{"type":"file_offer","size":-1}""")]
    [InlineData("""{"type":"file_offer","size":1.5}""")]
    [InlineData("""{"type":"file_offer","size":99999999999999999999}""")]
    public void A_size_that_is_not_a_whole_number_is_an_invalid_field(string line)
    {
        Assert.False(JsonRequestParser.TryParse(Encoding.UTF8.GetBytes(line), out _, out var error));
        Assert.Equal(ErrorCodes.InvalidField, error!.Code);
        Assert.Contains("'size'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void File_event_json_and_text_forms()
    {
        var shared = new FileSharedEvent("f1", "alice", null, "report.pdf", 1258291, "abc", "http://h:8080/files/f1/report.pdf?token=t", "/files/f1/report.pdf?token=t", At);
        using var doc = JsonDocument.Parse(JsonEventWriter.Encode(shared));
        var json = doc.RootElement;
        Assert.Equal("file", json.EnumerateObject().First().Value.GetString());
        Assert.Equal(1258291, json.GetProperty("size").GetInt64());
        Assert.False(json.GetProperty("private").GetBoolean());
        Assert.False(json.TryGetProperty("target", out _));
        Assert.Equal("2026-11-22T14:30:25.123Z", json.GetProperty("timestamp").GetString());
        Assert.Equal("[14:30:25] *** alice shared report.pdf (1.2 MiB): http://h:8080/files/f1/report.pdf?token=t\n", TextEventWriter.Format(shared, TimeZoneInfo.Utc));

        var pm = shared with { Target = "bob" };
        Assert.True(JsonDocument.Parse(JsonEventWriter.Encode(pm)).RootElement.GetProperty("private").GetBoolean());
        Assert.Equal("[14:30:25] [PM] alice sent report.pdf (1.2 MiB) to bob: http://h:8080/files/f1/report.pdf?token=t\n", TextEventWriter.Format(pm, TimeZoneInfo.Utc));

        var upload = JsonDocument.Parse(JsonEventWriter.Encode(new FileUploadEvent("u1", "a.bin", 5, "http://h/files/uploads/u1?token=t", "/files/uploads/u1?token=t", 1024))).RootElement;
        Assert.Equal("file_upload", upload.GetProperty("type").GetString());
        Assert.Equal(1024, upload.GetProperty("chunk_size").GetInt32());
        Assert.Equal("ERROR too big\n", TextEventWriter.Format(new FileRefusedEvent("a", ErrorCodes.FileTooLarge, "too big"), TimeZoneInfo.Utc));
    }

    [Fact]
    public void A_room_share_carries_its_room_like_a_message_and_only_other_rooms_prefix_the_text_line()
    {
        var shared = new FileSharedEvent("f1", "alice", null, "plan.txt", 1000, "abc", "http://h/files/f1/plan.txt?token=t", "/files/f1/plan.txt?token=t", At);

        var dev = shared with { Room = "#dev" };
        Assert.Equal("#dev", JsonDocument.Parse(JsonEventWriter.Encode(dev)).RootElement.GetProperty("room").GetString());
        Assert.Equal("[14:30:25] #dev *** alice shared plan.txt (1000 B): http://h/files/f1/plan.txt?token=t\n", TextEventWriter.Format(dev, TimeZoneInfo.Utc));
        var message = new ChatEvent("alice", "hi", null, At) { Room = "#dev" };
        Assert.StartsWith("[14:30:25] #dev ", TextEventWriter.Format(message, TimeZoneInfo.Utc), StringComparison.Ordinal);

        var general = shared with { Room = "#general" };
        Assert.Equal("#general", JsonDocument.Parse(JsonEventWriter.Encode(general)).RootElement.GetProperty("room").GetString());
        Assert.Equal("[14:30:25] *** alice shared plan.txt (1000 B): http://h/files/f1/plan.txt?token=t\n", TextEventWriter.Format(general, TimeZoneInfo.Utc));

        // Private files have no room, as private messages have none.
        Assert.False(JsonDocument.Parse(JsonEventWriter.Encode(shared with { Target = "bob" })).RootElement.TryGetProperty("room", out _));
    }

    [Fact]
    public void An_offer_answered_from_stored_content_is_a_complete_file_upload_without_upload_fields()
    {
        var stored = new FileUploadEvent("f9", "a.bin", 5, "", "", 0) { Complete = true, Url = "http://h/files/f9/a.bin?token=t", Path = "/files/f9/a.bin?token=t" };
        var json = JsonDocument.Parse(JsonEventWriter.Encode(stored)).RootElement;
        Assert.Equal(["type", "id", "name", "size", "complete", "url", "path"], json.EnumerateObject().Select(p => p.Name));
        Assert.True(json.GetProperty("complete").GetBoolean());
        Assert.Equal("/files/f9/a.bin?token=t", json.GetProperty("path").GetString());
        Assert.Equal("*** a.bin (5 B) is on the server already: shared without uploading\n", TextEventWriter.Format(stored, TimeZoneInfo.Utc));
    }
}
