using Microsoft.Playwright;
using Parley.Client;
using Parley.Protocol.Events;
using Parley.Testing;
using static Microsoft.Playwright.Assertions;

namespace Parley.Web.Tests;

/// <summary>Files between the browser and the console client library, through the real server.</summary>
[Collection(BrowserCollection.Name)]
public sealed class FilePageTests(BrowserFixture browser) : IDisposable
{
    private const int TenMiB = 10 * 1024 * 1024;
    private readonly TempDataDirectory _dir = new("parley-web-files") { ClearSqlitePools = false };
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };

    public void Dispose()
    {
        _http.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task Browser_sends_10_MiB_to_the_console_client_with_progress_and_the_hash_checks_out()
    {
        await using var server = await TestServer.StartAsync();
        await using var console = await ChatClient.ConnectAsync("127.0.0.1", server.ChatEndPoint.Port);
        await console.JoinAsync("con");
        await using var context = await browser.NewContextAsync();
        var page = await ChatPage.OpenAsync(context, server.WebUri);
        await page.JoinAsync("web");
        var (path, sha) = MakeFile("holiday video.mp4", TenMiB);

        // A fast upload may be over before anyone looks, so note every progress bar that appears.
        await page.Page.EvaluateAsync(@"() => {
            window.progressSeen = [];
            new MutationObserver(() => {
                for (const bar of document.querySelectorAll('#uploads progress')) window.progressSeen.push(bar.getAttribute('aria-label'));
            }).observe(document.getElementById('uploads'), { childList: true, subtree: true });
        }");
        await page.Page.Locator("#file-input").SetInputFilesAsync(path);
        var shared = await NextFileAsync(console);
        Assert.Equal("web", shared.Sender);
        Assert.Equal(Path.GetFileName(path), shared.Name);
        Assert.Equal(TenMiB, shared.Size);
        Assert.Equal(sha, shared.Sha256);
        var saved = await new FileDownloader(_http).DownloadAsync(new Uri(shared.Url), Path.Combine(_dir.Path, "got"), shared.Name, shared.Sha256);
        Assert.Equal(sha, await FileDownloader.HashFileAsync(saved));

        var line = await page.ExpectLineAsync($"shared {shared.Name} (10 MiB)", "file");
        await Expect(line.Locator(".who")).ToHaveTextAsync("web");
        await Expect(page.Page.Locator("#uploads progress")).ToHaveCountAsync(0);
        Assert.Contains("Uploading holiday video.mp4", await page.Page.EvaluateAsync<string[]>("() => window.progressSeen"));
    }

    [Fact]
    public async Task Console_sends_10_MiB_to_the_browser_which_downloads_it_intact()
    {
        await using var server = await TestServer.StartAsync();
        await using var context = await browser.NewContextAsync();
        var page = await ChatPage.OpenAsync(context, server.WebUri);
        await page.JoinAsync("web");
        await using var console = await ChatClient.ConnectAsync("127.0.0.1", server.ChatEndPoint.Port);
        await console.JoinAsync("con");
        var (path, sha) = MakeFile("dataset.csv", TenMiB);

        await UploadAsync(console, path, sha, target: null);
        var line = await page.ExpectLineAsync("shared " + Path.GetFileName(path) + " (10 MiB)", "file");
        var download = await page.Page.RunAndWaitForDownloadAsync(() => line.GetByRole(AriaRole.Link).ClickAsync());
        Assert.Equal(Path.GetFileName(path), download.SuggestedFilename);
        var saved = Path.Combine(_dir.Path, "from-browser.csv");
        await download.SaveAsAsync(saved);
        Assert.Equal(sha, await FileDownloader.HashFileAsync(saved));
    }

    [Fact]
    public async Task A_file_shared_in_another_room_than_general_names_the_room_like_a_message()
    {
        await using var server = await TestServer.StartAsync();
        await using var context = await browser.NewContextAsync();
        var page = await ChatPage.OpenAsync(context, server.WebUri);
        await page.JoinAsync("web");
        await page.SendAsync("/join #dev");
        await page.ExpectLineAsync("In #dev: web", "info");
        await using var console = await ChatClient.ConnectAsync("127.0.0.1", server.ChatEndPoint.Port);
        await console.JoinAsync("con");
        await console.SendCommandAsync("/join #dev");
        await NextAsync<RoomEvent>(console);
        var (path, sha) = MakeFile("plan.txt", 1000);

        await UploadAsync(console, path, sha, target: null);
        var line = await page.ExpectLineAsync("shared " + Path.GetFileName(path), "file");
        await Expect(line.Locator(".who")).ToHaveTextAsync("#dev con");
        await console.SendMessageAsync("said in #dev");
        var message = await page.ExpectLineAsync("said in #dev", "other");
        await Expect(message.Locator(".who")).ToHaveTextAsync("#dev con");
    }

    [Fact]
    public async Task A_file_picked_while_talking_in_a_room_is_offered_to_that_room_by_name()
    {
        await using var server = await TestServer.StartAsync();
        await using var console = await ChatClient.ConnectAsync("127.0.0.1", server.ChatEndPoint.Port);
        await console.JoinAsync("con");
        await console.SendCommandAsync("/join #dev");
        await NextAsync<RoomEvent>(console);
        await using var context = await browser.NewContextAsync();
        var page = await ChatPage.OpenAsync(context, server.WebUri);
        var offerSent = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        page.Page.WebSocket += (_, ws) => ws.FrameSent += (_, frame) =>
        {
            if (frame.Text?.Contains("\"file_offer\"", StringComparison.Ordinal) == true)
            {
                offerSent.TrySetResult(frame.Text);
            }
        };
        await page.JoinAsync("web");
        await page.SendAsync("/join #ops");
        await page.ExpectLineAsync("In #ops: web", "info");
        await page.SendAsync("/join #dev");
        await page.ExpectLineAsync("In #dev: con, web", "info");

        await page.Page.Locator("#file-input").SetInputFilesAsync(MakeFile("plan.txt", 1000).Path);
        var shared = await NextAsync<FileSharedEvent>(console, f => f.Sender == "web");
        Assert.Equal(("plan.txt", "#dev"), (shared.Name, shared.Room));
        using var offer = System.Text.Json.JsonDocument.Parse(await offerSent.Task.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal("#dev", offer.RootElement.GetProperty("room").GetString());
    }

    [Fact]
    public async Task Images_get_a_thumbnail_private_files_stay_private_and_drop_works()
    {
        await using var server = await TestServer.StartAsync();
        await using var context = await browser.NewContextAsync();
        var web = await ChatPage.OpenAsync(context, server.WebUri);
        await web.JoinAsync("web");
        var eve = await ChatPage.OpenAsync(context, server.WebUri);
        await eve.JoinAsync("eve");
        await using var console = await ChatClient.ConnectAsync("127.0.0.1", server.ChatEndPoint.Port);
        await console.JoinAsync("con");

        var png = Path.Combine(_dir.Path, "dot.png");
        await File.WriteAllBytesAsync(png, Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg=="));
        await UploadAsync(console, png, await FileDownloader.HashFileAsync(png), target: "web");
        var line = await web.ExpectLineAsync("sent you dot.png", "pm-in");
        var thumb = line.Locator("img.thumb");
        await Expect(thumb).ToBeVisibleAsync();
        await Expect(thumb).ToHaveJSPropertyAsync("naturalWidth", 2); // loaded through the page's CSP

        // Eve sees a later public message, and never the private file.
        await console.SendMessageAsync("public after the private file");
        await eve.ExpectLineAsync("public after the private file", "other");
        await Expect(eve.Messages.Filter(new() { HasText = "dot.png" })).ToHaveCountAsync(0);

        // Drag and drop from the desktop: a drop event carrying a file.
        await web.Page.EvaluateAsync(@"() => {
            const dt = new DataTransfer();
            dt.items.add(new File(['dropped text'], 'dropped.txt', { type: 'text/plain' }));
            const zone = document.querySelector('.conversation');
            zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
            zone.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
        }");
        var shared = await NextAsync<FileSharedEvent>(console, f => f.Sender == "web");
        Assert.Equal("dropped.txt", shared.Name);
        Assert.Equal(12, shared.Size);
        await web.ExpectLineAsync("shared dropped.txt (12 B)", "file");
    }

    private static async Task UploadAsync(ChatClient client, string path, string sha, string? target)
    {
        await client.OfferFileAsync(Path.GetFileName(path), new FileInfo(path).Length, sha, target);
        var upload = await NextAsync<FileUploadEvent>(client);
        using var http = new HttpClient();
        var reply = await new FileUploader(http).UploadAsync(new Uri(upload.UploadUrl), path, upload.ChunkSize);
        Assert.True(reply.Complete);
    }

    private static Task<FileSharedEvent> NextFileAsync(ChatClient client) => NextAsync<FileSharedEvent>(client);

    private static async Task<T> NextAsync<T>(ChatClient client, Func<T, bool>? match = null)
        where T : ServerEvent
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await foreach (var evt in client.Events.ReadAllAsync(timeout.Token))
        {
            if (evt is T wanted && (match is null || match(wanted)))
            {
                return wanted;
            }
        }

        throw new IOException("Connection ended");
    }

    private (string Path, string Sha) MakeFile(string name, int size)
    {
        var (path, sha, _) = _dir.WriteRandomFile(size, name);
        return (path, sha);
    }
}
