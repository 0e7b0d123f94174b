using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;

namespace Parley.Server.Web;

/// <summary>
/// The browser client and admin page, compiled into the assembly (wwwroot/ as embedded resources), so
/// the server finds them whatever its working directory and a single binary is the whole deployment.
/// </summary>
internal sealed class StaticAssets
{
    /// <summary>Pages may load only their own scripts and styles and talk only to their own origin (which covers /ws).</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    private const string Prefix = "wwwroot/";

    private readonly Dictionary<string, Asset> _assets = new(StringComparer.Ordinal);

    public StaticAssets()
    {
        var assembly = typeof(StaticAssets).Assembly;
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            var bytes = memory.ToArray();
            var etag = "\"" + Convert.ToHexString(SHA256.HashData(bytes), 0, 8).ToLowerInvariant() + "\"";
            _assets[name[Prefix.Length..]] = new Asset(bytes, ContentType(name), etag);
        }
    }

    public bool Contains(string file) => _assets.ContainsKey(file);

    /// <summary>Writes <paramref name="file"/> (a name under wwwroot/) with caching headers, or a 404.</summary>
    public Task ServeAsync(HttpContext context, string file, int statusCode = StatusCodes.Status200OK)
    {
        var response = context.Response;
        if (!_assets.TryGetValue(file, out var asset))
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }

        response.StatusCode = statusCode;
        response.ContentType = asset.ContentType;
        if (asset.ContentType.StartsWith("text/html", StringComparison.Ordinal))
        {
            response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;

            // Pages are small and must never be served stale after an upgrade or a change of token.
            response.Headers.CacheControl = "no-store";
        }
        else
        {
            response.Headers.CacheControl = "no-cache";
            response.Headers.ETag = asset.ETag;
            if (statusCode == StatusCodes.Status200OK && context.Request.Headers.IfNoneMatch == asset.ETag)
            {
                response.StatusCode = StatusCodes.Status304NotModified;
                return Task.CompletedTask;
            }
        }

        response.ContentLength = asset.Bytes.Length;
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : response.Body.WriteAsync(asset.Bytes).AsTask();
    }

    private static string ContentType(string name) => Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".svg" => "image/svg+xml",
        ".png" => "image/png",
        ".ico" => "image/x-icon",
        ".json" or ".webmanifest" => "application/manifest+json",
        _ => "application/octet-stream",
    };

    private sealed record Asset(byte[] Bytes, string ContentType, string ETag);
}
