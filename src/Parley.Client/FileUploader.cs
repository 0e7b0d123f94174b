using System.Net;
using System.Net.Http.Json;

namespace Parley.Client;

/// <summary>
/// Sends a file's bytes to the upload slot a <c>file_upload</c> event gave us: chunk by chunk, each
/// at the offset the server last confirmed, streamed from disk (one chunk buffer, never the whole
/// file). A broken request or an out-of-order answer makes it ask the server where it stands and go
/// on from there, a few times, before giving up.
/// </summary>
public sealed class FileUploader(HttpClient http)
{
    /// <summary>How many failures in a row are retried (each resumes from the server's offset).</summary>
    public int MaxRetries { get; init; } = 5;

    /// <summary>
    /// Awaited before each attempt at the chunk that completes the file. The server shares a file only
    /// while its sender is in the chat (and in the room it was offered in), so a client whose chat
    /// connection is down can hold the last chunk here until it is back, instead of having the upload
    /// discarded (410).
    /// </summary>
    public Func<CancellationToken, Task>? BeforeLastChunk { get; init; }

    /// <summary>Uploads <paramref name="path"/>; returns the server's final answer. Throws <see cref="FileTransferException"/> when it refuses.</summary>
    public async Task<UploadReply> UploadAsync(Uri uploadUrl, string path, int chunkSize, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(uploadUrl);
        chunkSize = chunkSize > 0 ? chunkSize : 1024 * 1024;
        var buffer = new byte[chunkSize];
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous);
        var size = file.Length;
        long offset = 0;
        var failures = 0;
        while (true)
        {
            file.Position = offset;
            var length = (int)Math.Min(chunkSize, size - offset);
            await file.ReadExactlyAsync(buffer.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
            if (offset + length == size && BeforeLastChunk is { } beforeLast)
            {
                await beforeLast(cancellationToken).ConfigureAwait(false);
            }

            UploadReply? reply;
            HttpStatusCode status;
            try
            {
                using var content = new ByteArrayContent(buffer, 0, length);
                using var response = await http.PutAsync(WithOffset(uploadUrl, offset), content, cancellationToken).ConfigureAwait(false);
                status = response.StatusCode;
                reply = await ReadReplyAsync(response, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException) when (++failures <= MaxRetries)
            {
                offset = (await StatusAsync(uploadUrl, cancellationToken).ConfigureAwait(false)).Offset;
                continue;
            }

            if (status == HttpStatusCode.OK && reply is not null)
            {
                failures = 0;
                offset = reply.Offset;
                progress?.Report(offset);
                if (reply.Complete)
                {
                    return reply;
                }

                continue;
            }

            if (status == HttpStatusCode.Conflict && reply is not null && ++failures <= MaxRetries)
            {
                offset = reply.Offset; // out of step with the server: go on from where it says
                continue;
            }

            throw new FileTransferException(reply?.Message ?? $"The server answered {(int)status} {status}");
        }
    }

    /// <summary>Where an upload stands on the server (to resume it).</summary>
    public async Task<UploadReply> StatusAsync(Uri uploadUrl, CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync(uploadUrl, cancellationToken).ConfigureAwait(false);
        var reply = await ReadReplyAsync(response, cancellationToken).ConfigureAwait(false);
        return reply is not null && response.IsSuccessStatusCode
            ? reply
            : throw new FileTransferException(reply?.Message ?? $"The server answered {(int)response.StatusCode} {response.StatusCode}");
    }

    private static async Task<UploadReply?> ReadReplyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<UploadReply>(cancellationToken).ConfigureAwait(false);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static Uri WithOffset(Uri url, long offset) =>
        new(url + (string.IsNullOrEmpty(url.Query) ? "?" : "&") + "offset=" + offset.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
