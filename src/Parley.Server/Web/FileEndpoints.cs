using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Parley.Core;

namespace Parley.Server.Web;

/// <summary>
/// The HTTP side of file sharing (docs/protocol.md, "Files"): chunked, resumable uploads for a slot
/// offered on the chat connection, and capability-token downloads.
/// </summary>
internal static class FileEndpoints
{
    // Downloaded files are other people's bytes on our origin: never let a browser run them.
    private const string DownloadPolicy = "default-src 'none'; img-src 'self'; sandbox";

    public static void AddServices(IServiceCollection services, ServerOptions options)
    {
        services.AddSingleton<FileLinks>();
        services.AddSingleton(sp =>
        {
            var files = options.Files;
            if (string.IsNullOrEmpty(files.Directory))
            {
                files.Directory = Path.Combine(options.DataDirectory, "files");
            }

            Directory.CreateDirectory(files.Directory);
            var links = sp.GetRequiredService<FileLinks>();
            return new FileTransfers(
                sp.GetRequiredService<Hub>(),
                files,
                links.BaseFor,
                sp.GetRequiredService<ILoggerFactory>().CreateLogger<FileTransfers>());
        });
    }

    public static void Map(WebApplication app, ServerOptions options)
    {
        if (options.WebPort < 0)
        {
            return; // no web port, nowhere for the bytes to go: offers are answered with files_disabled
        }

        FileTransfers transfers;
        try
        {
            transfers = app.Services.GetRequiredService<FileTransfers>();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A read-only or full data directory must not stop the chat: only file sharing goes.
            app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Parley.Server.Files")
                .LogError("File sharing is off: cannot use {Directory}: {Error}", options.Files.Directory, ex.Message);
            return;
        }

        app.Services.GetRequiredService<Hub>().Files = transfers;
        app.MapGet("/files/uploads/{id}", (string id, HttpContext context, FileTransfers files) => Reply(files.Status(id, Token(context))));
        app.MapPut("/files/uploads/{id}", UploadChunkAsync);
        app.MapDelete("/files/uploads/{id}", (string id, HttpContext context, FileTransfers files) =>
            files.Cancel(id, Token(context)) ? Results.NoContent() : Results.NotFound());
        app.MapGet("/files/{id}/{name}", Download);
    }

    private static async Task<IResult> UploadChunkAsync(string id, HttpContext context, FileTransfers files)
    {
        if (!long.TryParse(context.Request.Query["offset"], NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
        {
            return Results.Json(new { error = "bad_request", message = "Query parameter 'offset' (a whole number) is required" }, statusCode: StatusCodes.Status400BadRequest);
        }

        if (context.Request.ContentLength is { } length && length > files.Options.MaxChunkSize)
        {
            return Results.Json(new { error = "too_large", message = $"Chunks may be at most {files.Options.MaxChunkSize} bytes" }, statusCode: StatusCodes.Status413PayloadTooLarge);
        }

        var chunkSha = context.Request.Headers["X-Chunk-Sha256"].FirstOrDefault();
        try
        {
            return Reply(await files.WriteChunkAsync(id, Token(context), offset, context.Request.Body, chunkSha, context.RequestAborted));
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException)
        {
            // The uploader went away mid-chunk; the part is already cut back to the chunk's start.
            return Results.Empty;
        }
    }

    private static IResult Download(string id, string name, HttpContext context, FileTransfers files)
    {
        _ = name; // only for people and "save as"; the id and token decide
        if (files.Find(id, Token(context)) is not { } file)
        {
            return Results.NotFound();
        }

        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = DownloadPolicy;
        headers.CacheControl = "private, max-age=86400";
        return Results.File(files.BlobPath(file.Sha256), ContentType(file.Name), file.Name, enableRangeProcessing: true);
    }

    private static IResult Reply(ChunkResult result)
    {
        var status = result.Status switch
        {
            ChunkStatus.Accepted or ChunkStatus.Complete => StatusCodes.Status200OK,
            ChunkStatus.NotFound => StatusCodes.Status404NotFound,
            ChunkStatus.WrongOffset or ChunkStatus.Busy => StatusCodes.Status409Conflict,
            ChunkStatus.TooLarge => StatusCodes.Status413PayloadTooLarge,
            ChunkStatus.BadChunkHash or ChunkStatus.BadFileHash => StatusCodes.Status422UnprocessableEntity,
            ChunkStatus.Gone => StatusCodes.Status410Gone,
            ChunkStatus.StoreFailed => StatusCodes.Status503ServiceUnavailable,
            _ => StatusCodes.Status500InternalServerError,
        };
        return Results.Json(
            new
            {
                status = result.Status.ToString().ToLowerInvariant(),
                offset = result.Offset,
                size = result.Size,
                complete = result.Status == ChunkStatus.Complete,
                message = result.Message,
                id = result.File?.Id,
                url = result.Url,
            },
            statusCode: status);
    }

    private static string? Token(HttpContext context) => context.Request.Query["token"].FirstOrDefault();

    // Only raster images are labelled as such (for thumbnails); everything else, SVG included, is opaque bytes.
    private static string ContentType(string name) => Path.GetExtension(name).ToLowerInvariant() switch
    {
        ".png" => "image/png",
        ".jpg" or ".jpeg" => "image/jpeg",
        ".gif" => "image/gif",
        ".webp" => "image/webp",
        _ => "application/octet-stream",
    };
}
