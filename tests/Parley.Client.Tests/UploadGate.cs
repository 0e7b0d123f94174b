using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Parley.Client.Tests;

/// <summary>
/// An HTTP hop between a client and the server's web port (the server's --public-url points here) that
/// holds the upload chunk starting at <see cref="HoldAt"/> until the test releases it, so a test can look
/// at an upload midway without racing it. Everything else is passed through as it is.
/// </summary>
internal sealed class UploadGate : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _http = new();
    private readonly TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private UploadGate(WebApplication app, long holdAt)
    {
        _app = app;
        HoldAt = holdAt;
        _app.Run(ForwardAsync);
    }

    public long HoldAt { get; }

    /// <summary>The web port the requests go on to (known only once the server is up).</summary>
    public Uri? Target { get; set; }

    public string Origin => _app.Urls.Single().TrimEnd('/');

    /// <summary>Completes when the chunk at <see cref="HoldAt"/> has arrived and is being held.</summary>
    public Task Held => _held.Task;

    public static async Task<UploadGate> StartAsync(long holdAt)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var gate = new UploadGate(builder.Build(), holdAt);
        await gate._app.StartAsync();
        return gate;
    }

    public void Release() => _release.TrySetResult();

    public async ValueTask DisposeAsync()
    {
        Release();
        await _app.DisposeAsync();
        _http.Dispose();
    }

    private async Task ForwardAsync(HttpContext context)
    {
        var request = context.Request;
        if (HttpMethods.IsPut(request.Method) && request.Query["offset"] == HoldAt.ToString(System.Globalization.CultureInfo.InvariantCulture))
        {
            _held.TrySetResult();
            await _release.Task;
        }

        using var forward = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(Target!, request.Path + request.QueryString));
        if (HttpMethods.IsPut(request.Method))
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            forward.Content = new ByteArrayContent(body.ToArray());
        }

        using var response = await _http.SendAsync(forward);
        context.Response.StatusCode = (int)response.StatusCode;
        context.Response.ContentType = response.Content.Headers.ContentType?.ToString();
        await response.Content.CopyToAsync(context.Response.Body);
    }
}
