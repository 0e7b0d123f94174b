using System.Net;
using System.Text.Json;
using Parley.Testing;

namespace Parley.Server.Tests;

/// <summary>
/// The rows of docs/security.md's bounded-memory audit that came with history and file sharing,
/// each driven by one client asking for more than the bound over real sockets.
/// </summary>
public sealed class BoundedMemoryTests
{
    private const int MiB = 1024 * 1024;

    [Fact]
    public async Task A_history_page_holds_at_most_500_messages_and_a_search_at_most_100_whatever_the_client_asks()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.JoinJsonAsync("alice");
        for (var i = 0; i < 600; i++)
        {
            await alice.SendAsync(new { type = "message", content = $"needle {i}" });
        }

        await alice.ExpectTypeAsync("message", e => e.GetProperty("content").GetString() == "needle 599");

        await alice.SendAsync(new { type = "history", limit = 1_000_000 });
        var end = await alice.ExpectTypeAsync("history");
        Assert.Equal(500, end.GetProperty("count").GetInt32());
        Assert.True(end.GetProperty("more").GetBoolean());

        await alice.SendAsync(new { type = "search", query = "needle", limit = 1_000_000 });
        Assert.Equal(100, (await alice.ExpectTypeAsync("search")).GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task A_chunk_without_a_length_is_cut_off_at_the_chunk_limit_and_none_of_it_is_kept()
    {
        await using var server = await TestServer.StartAsync(o => o.Files.MaxChunkSize = MiB);
        await using var alice = await server.JoinJsonAsync("alice");
        await alice.SendAsync(new { type = "file_offer", name = "big.bin", size = 64 * MiB });
        var url = (await alice.ExpectTypeAsync("file_upload")).GetProperty("upload_url").GetString()!;

        // Chunked transfer encoding: the server cannot refuse by Content-Length and must count as it streams.
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var body = new EndlessStream(limit: 32 * MiB);
        using var request = new HttpRequestMessage(HttpMethod.Put, url + "&offset=0") { Content = new StreamContent(body) };
        request.Headers.TransferEncodingChunked = true;
        HttpResponseMessage? response = null;
        try
        {
            response = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        }
        catch (HttpRequestException)
        {
            // Kestrel may answer and close before the client has finished sending: also a refusal.
        }
        finally
        {
            response?.Dispose();
        }

        // The upload read the chunk 64 KiB at a time into the part file, stopped at the limit and cut the
        // part back; Kestrel then drains (and discards) the rest of the body for the keep-alive connection.
        var part = Directory.GetFiles(server.Hub.Files!.PartDirectory).Single();
        Assert.Equal(0, new FileInfo(part).Length);
        var status = JsonDocument.Parse(await http.GetStringAsync(url)).RootElement;
        Assert.Equal(0, status.GetProperty("offset").GetInt64());
    }

    /// <summary>Zero bytes for as long as asked, counting what was taken.</summary>
    private sealed class EndlessStream(long limit) : Stream
    {
        private long _read;

        public long Taken => Interlocked.Read(ref _read);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => Taken; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, limit - Taken);
            Array.Clear(buffer, offset, n);
            Interlocked.Add(ref _read, n);
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
