using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;

namespace Parley.Server.Admin;

/// <summary>
/// The operator's HTTP JSON API under <c>/api/</c> (docs/admin.md). Every call needs
/// <c>Authorization: Bearer TOKEN</c>; the admin page is just one client of it.
/// </summary>
internal static class AdminApi
{
    private const int MaxBodyBytes = 16 * 1024;
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(30);

    public static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").AddEndpointFilter(RequireToken);
        api.MapGet("/status", (AdminService admin) => Results.Json(admin.Status()));
        api.MapGet("/clients", (AdminService admin) => Results.Json(admin.Clients()));
        api.MapGet("/pending", (AdminService admin) => Results.Json(admin.Pending()));
        api.MapGet("/activity", ActivityAsync);
        api.MapPost("/announce", (HttpContext context, AdminService admin) =>
            ActAsync<AnnounceRequest>(context, body => admin.Announce(body.Message)));
        api.MapPost("/kick", (HttpContext context, AdminService admin) =>
            ActAsync<UserActionRequest>(context, body => admin.Kick(body.Username, body.Reason)));
        api.MapPost("/approve", (HttpContext context, AdminService admin) =>
            ActAsync<UserActionRequest>(context, body => admin.Approve(body.Username)));
        api.MapPost("/reject", (HttpContext context, AdminService admin) =>
            ActAsync<UserActionRequest>(context, body => admin.Reject(body.Username, body.Reason)));
        api.MapFallback(() => Results.Json(new { error = "No such API endpoint; see docs/admin.md" }, statusCode: StatusCodes.Status404NotFound));
    }

    private static async ValueTask<object?> RequireToken(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        context.Response.Headers.CacheControl = "no-store";
        var auth = context.RequestServices.GetService(typeof(AdminAuth)) as AdminAuth;
        if (auth is null || !auth.IsValid(AdminAuth.BearerToken(context.Request)))
        {
            context.Response.Headers.WWWAuthenticate = "Bearer realm=\"parley-admin\"";
            return Results.Json(new { error = "Admin token required: send 'Authorization: Bearer TOKEN'" }, statusCode: StatusCodes.Status401Unauthorized);
        }

        return await next(invocation);
    }

    // Long poll: answers at once when there is something after `after`, otherwise when something
    // happens or `wait` seconds pass. Ends early when the server stops, so it never holds up shutdown.
    private static async Task<IResult> ActivityAsync(HttpContext context, ActivityLog activity, IHostApplicationLifetime lifetime, long? after, double? wait)
    {
        // A number from before a restart would hide everything until the new log caught up with it.
        var since = after is { } a && a >= 0 && a <= activity.LastSeq ? a : 0;
        var timeout = TimeSpan.FromSeconds(Math.Clamp(wait ?? 0, 0, MaxWait.TotalSeconds));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        var entries = await activity.WaitAsync(since, timeout, stop.Token);
        return Results.Json(new { last = entries.Count > 0 ? entries[^1].Seq : since, entries });
    }

    private static async Task<IResult> ActAsync<T>(HttpContext context, Func<T, AdminResult> action)
        where T : class
    {
        if (context.Request.ContentLength > MaxBodyBytes)
        {
            return Results.Json(new { error = $"Body larger than {MaxBodyBytes} bytes" }, statusCode: StatusCodes.Status413PayloadTooLarge);
        }

        T? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<T>(context.Request.Body, JsonSerializerOptions.Web, context.RequestAborted);
        }
        catch (JsonException)
        {
            body = null;
        }

        if (body is null)
        {
            return Results.Json(new { error = "Body must be a JSON object (see docs/admin.md)" }, statusCode: StatusCodes.Status400BadRequest);
        }

        var result = action(body);
        return result.Ok
            ? Results.Json(new { ok = true, message = result.Message })
            : Results.Json(new { error = result.Message }, statusCode: result.StatusCode);
    }

    private sealed record AnnounceRequest(string? Message);

    private sealed record UserActionRequest(string? Username, string? Reason);
}
