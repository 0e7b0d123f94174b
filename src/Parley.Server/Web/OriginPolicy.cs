using Microsoft.AspNetCore.Http;

namespace Parley.Server.Web;

/// <summary>
/// Which pages may open the chat WebSocket. Browsers send Origin on every WebSocket handshake and
/// do not apply CORS to it, so without this check any site a user visits could chat in their name.
/// Default: the server's own origin only. Clients that send no Origin (not browsers) are allowed.
/// </summary>
internal static class OriginPolicy
{
    public static bool IsAllowed(HttpRequest request, IReadOnlyList<string> allowed)
    {
        var origin = request.Headers.Origin.ToString();
        if (string.IsNullOrEmpty(origin))
        {
            return true;
        }

        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri))
        {
            return false;
        }

        // Same origin: scheme, host and port as the request itself was addressed.
        var own = $"{request.Scheme}://{request.Host.Value}";
        if (Uri.TryCreate(own, UriKind.Absolute, out var self) && Uri.Compare(uri, self, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0)
        {
            return true;
        }

        foreach (var entry in allowed)
        {
            if (entry == "*" || (Uri.TryCreate(entry, UriKind.Absolute, out var listed) && Uri.Compare(uri, listed, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0))
            {
                return true;
            }
        }

        return false;
    }
}
