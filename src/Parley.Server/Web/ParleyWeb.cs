using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Parley.Core;
using Parley.Server.Admin;

namespace Parley.Server.Web;

/// <summary>
/// Everything the web port serves besides /healthz: the chat page and its WebSocket, the admin page
/// and its API. Kept apart from <see cref="ParleyServer"/> so hosting stays readable.
/// </summary>
internal static class ParleyWeb
{
    public static void AddServices(WebApplicationBuilder builder, ServerOptions options, IChatLog chatLog, TimeProvider clock)
    {
        var activity = new ActivityLog(clock);
        var services = builder.Services;
        services.AddSingleton(activity);

        // Registered after the plain chat log, so the hub gets this one: chat.log plus the admin's activity view.
        services.AddSingleton<IChatLog>(new ActivityChatLog(chatLog, activity));
        services.AddSingleton(new AdminAuth(options.AdminToken ?? AdminAuth.NewToken(), generated: options.AdminToken is null));
        services.AddSingleton<MessageRateMeter>();
        services.AddSingleton<AdminService>();
        services.AddSingleton<OperatorConsole>();
        services.AddSingleton<StaticAssets>();
        services.AddSingleton<WebSocketChatHandler>();
        FileEndpoints.AddServices(services, options);

        // Parley's own log, whatever the console's level, feeds the activity view; nothing else does.
        builder.Logging.AddProvider(new ActivityLoggerProvider(activity));
        builder.Logging.AddFilter<ActivityLoggerProvider>(null, LogLevel.None);
        builder.Logging.AddFilter<ActivityLoggerProvider>("Parley", LogLevel.Information);
    }

    public static void Map(WebApplication app)
    {
        TrustedProxies.Use(app, app.Services.GetRequiredService<ServerOptions>().TrustedProxies);
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(20), KeepAliveTimeout = TimeSpan.FromSeconds(20) });
        app.Use((context, next) =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            if (context.Request.IsHttps)
            {
                // With TLS configured the web port speaks only HTTPS; tell browsers never to try plain HTTP.
                headers.StrictTransportSecurity = "max-age=31536000";
            }
            return next(context);
        });

        app.MapGet("/", (HttpContext context, StaticAssets assets) => assets.ServeAsync(context, "index.html"));
        app.MapGet("/assets/{file}", (HttpContext context, StaticAssets assets, string file) => assets.ServeAsync(context, file));
        app.MapGet("/favicon.ico", (HttpContext context, StaticAssets assets) => assets.ServeAsync(context, "icon.svg"));
        app.Map("/ws", (HttpContext context, WebSocketChatHandler handler) => handler.HandleAsync(context));
        app.MapGet("/admin", AdminPageAsync);
        AdminApi.Map(app);
        FileEndpoints.Map(app, app.Services.GetRequiredService<ServerOptions>());

        // Make sure the meter starts counting at start-up, not at the first status request.
        _ = app.Services.GetRequiredService<MessageRateMeter>();
    }

    /// <summary>Says where the admin page is; a generated token is printed here, once.</summary>
    public static void LogAdminAccess(IServiceProvider services, IPEndPoint? web)
    {
        var auth = services.GetRequiredService<AdminAuth>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Parley.Server.Admin");
        if (web is null)
        {
            logger.LogInformation("Web port is off: no admin page; operator commands work on the console");
            return;
        }

        var host = web.Address.Equals(IPAddress.Any) || web.Address.Equals(IPAddress.IPv6Any) ? "127.0.0.1" : web.Address.ToString();
        var scheme = services.GetRequiredService<ServerOptions>().Tls ? "https" : "http";
        var url = $"{scheme}://{(web.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 && host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host)}:{web.Port}/admin";
        if (auth.Generated)
        {
            logger.LogInformation("Admin token (generated; set --admin-token to choose one): {Token}  Admin page: {Url}?token={Token}", auth.Token, url, auth.Token);
        }
        else
        {
            logger.LogInformation("Admin page: {Url} (token from --admin-token)", url);
        }
    }

    // The page holds no data itself (it fetches everything from /api with the token), but without a
    // valid token it is not served at all: a 401 with a token form instead.
    private static Task AdminPageAsync(HttpContext context, AdminAuth auth, StaticAssets assets)
    {
        var request = context.Request;
        string? cookie = request.Cookies[AdminAuth.CookieName];
        var presented = request.Query["token"].FirstOrDefault() ?? AdminAuth.BearerToken(request) ?? cookie;
        if (!auth.IsValid(presented))
        {
            context.Response.Headers.WWWAuthenticate = "Bearer realm=\"parley-admin\"";
            return assets.ServeAsync(context, "admin-login.html", StatusCodes.Status401Unauthorized);
        }

        return assets.ServeAsync(context, "admin.html");
    }
}
