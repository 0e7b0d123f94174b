using System.Net;
using Microsoft.AspNetCore.Http;
using Parley.Core;

namespace Parley.Server.Web;

/// <summary>
/// Where file links point. With --public-url, there; otherwise at the web port as the client that
/// caused the link reaches the server (its WebSocket's Host header, or the address its TCP connection
/// arrived on), which is right on a LAN and on one machine, and is what --public-url is for otherwise.
/// </summary>
public sealed class FileLinks(ServerOptions options)
{
    /// <summary>The bound web port, asked lazily because port 0 is only resolved once Kestrel listens.</summary>
    public Func<int?> WebPort { get; set; } = () => options.WebPort > 0 ? options.WebPort : null;

    public static string OriginOf(HttpRequest request) => $"{request.Scheme}://{request.Host}";

    public string? OriginFor(EndPoint? local)
    {
        if (local is not IPEndPoint ip || WebPort() is not { } port)
        {
            return null;
        }

        var address = ip.Address.IsIPv4MappedToIPv6 ? ip.Address.MapToIPv4() : ip.Address;
        var host = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
        return $"http://{host}:{port}";
    }

    /// <summary>The start of every link made for <paramref name="session"/>, without a trailing slash.</summary>
    public string BaseFor(Session session) =>
        options.PublicUrl?.TrimEnd('/') ?? session.WebOrigin ?? $"http://127.0.0.1:{WebPort() ?? 8080}";
}
