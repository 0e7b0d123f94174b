using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using IPNetwork = System.Net.IPNetwork;

namespace Parley.Server.Web;

/// <summary>
/// Reverse proxies whose X-Forwarded-For (and X-Forwarded-Proto) the web port believes
/// (<c>--trusted-proxy</c>). Behind nginx or Caddy every browser arrives from the proxy's address, so
/// the per-address limits, the admin view and the logs would see one "user"; with the proxy listed,
/// the connection's remote address becomes the client's before the WebSocket handler (admission,
/// flood control) looks at it. A header from any other peer is ignored, or anyone could pick an
/// address and dodge the limits. The chat ports never read headers and are untouched.
/// </summary>
public static class TrustedProxies
{
    /// <summary>An address (<c>10.0.0.5</c>, <c>::1</c>) or a network (<c>10.0.0.0/8</c>, <c>fd00::/8</c>).</summary>
    public static IPNetwork Parse(string entry)
    {
        var text = entry.Trim();
        if (IPAddress.TryParse(text, out var address) && !text.Contains('/', StringComparison.Ordinal))
        {
            return new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
        }

        if (IPNetwork.TryParse(text, out var network))
        {
            return network;
        }

        throw new ArgumentException($"--trusted-proxy: '{entry}' is not an IP address or network (e.g. 10.0.0.5, 10.0.0.0/8, ::1, fd00::/8)");
    }

    /// <summary>Adds the forwarded-headers step at the front of the web pipeline; without trusted proxies, nothing.</summary>
    public static void Use(WebApplication app, IReadOnlyList<string> entries)
    {
        if (entries.Count == 0)
        {
            return;
        }

        var options = new ForwardedHeadersOptions
        {
            ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto,

            // A chain of trusted proxies is walked back to the first address none of them vouches for.
            ForwardLimit = null,
        };

        // The defaults trust loopback; only what the operator listed is trusted.
        options.KnownIPNetworks.Clear();
        options.KnownProxies.Clear();
        foreach (var entry in entries)
        {
            options.KnownIPNetworks.Add(Parse(entry));
        }

        app.UseForwardedHeaders(options);
    }
}
