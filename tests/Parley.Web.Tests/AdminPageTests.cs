using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Parley.Testing;
using static Microsoft.Playwright.Assertions;

namespace Parley.Web.Tests;

[Collection(BrowserCollection.Name)]
public sealed class AdminPageTests(BrowserFixture browser)
{
    private const string Token = "playwright-admin-token";

    [Fact]
    public async Task Without_the_right_token_the_admin_page_shows_nothing_but_a_sign_in_form()
    {
        await using var server = await TestServer.StartAsync(o => o.AdminToken = Token);
        await using var bob = await server.JoinTextAsync("bob");
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();

        var response = await page.GotoAsync(new Uri(server.WebUri, "/admin").ToString());
        Assert.Equal(401, response!.Status);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Admin token required" })).ToBeVisibleAsync();
        await Expect(page.GetByText("bob")).ToHaveCountAsync(0);

        await page.GetByLabel("Admin token").FillAsync("not-the-token");
        await page.GetByLabel("Admin token").PressAsync("Enter");
        await Expect(page.GetByText("That token is not valid.")).ToBeVisibleAsync();
        Assert.DoesNotContain("not-the-token", page.Url, StringComparison.Ordinal);

        await page.GetByLabel("Admin token").FillAsync(Token);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.Locator("#clients-body tr[data-name=bob]")).ToHaveCountAsync(1);

        // The token is taken out of the address bar, and a reload still works (cookie scoped to /admin).
        Assert.EndsWith("/admin", page.Url, StringComparison.Ordinal);
        await page.ReloadAsync();
        await Expect(page.Locator("#clients-body tr[data-name=bob]")).ToHaveCountAsync(1);

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Admin token required" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Admin_page_shows_clients_sends_an_announcement_and_kicks_users()
    {
        await using var server = await TestServer.StartAsync(o => o.AdminToken = Token);
        await using var context = await browser.NewContextAsync(1400, 900);
        var alice = await ChatPage.OpenAsync(context, server.WebUri);
        await alice.JoinAsync("alice");
        await using var bob = await server.JoinTextAsync("bob");
        await using var carol = await server.JoinJsonAsync("carol");
        await bob.SendLineAsync("hello from bob");
        await alice.ExpectLineAsync("hello from bob", "other");

        var admin = await OpenAdminAsync(context, server);
        var rows = admin.Locator("#clients-body tr");
        await Expect(rows).ToHaveCountAsync(3);
        var bobRow = admin.Locator("#clients-body tr[data-name=bob]");
        await Expect(bobRow).ToContainTextAsync("TCP text");
        await Expect(bobRow.Locator("td.num")).ToHaveTextAsync("1");
        await Expect(admin.Locator("#clients-body tr[data-name=alice]")).ToContainTextAsync("WebSocket");
        await Expect(admin.Locator("#clients-body tr[data-name=carol]")).ToContainTextAsync("TCP json");
        await Expect(admin.Locator("#stat-connections")).ToHaveTextAsync("3");
        await Expect(admin.Locator("#stat-users")).ToHaveTextAsync("3");
        await Expect(admin.Locator("#activity")).ToContainTextAsync("bob: hello from bob");
        await WebTestSettings.ScreenshotAsync(admin, "admin");

        // An announcement reaches every kind of client.
        await admin.GetByLabel("Announcement to every client").FillAsync("Server restarts at noon");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Send announcement" }).ClickAsync();
        await alice.ExpectLineAsync("Server restarts at noon", "server");
        await bob.ExpectAsync("] [SERVER] Server restarts at noon");
        await carol.ExpectTypeAsync("server", m => m.GetProperty("message").GetString() == "Server restarts at noon");
        await Expect(admin.Locator("#activity")).ToContainTextAsync("[SERVER] Server restarts at noon");
        await Expect(admin.GetByLabel("Announcement to every client")).ToHaveValueAsync(string.Empty);

        // Kick the text user, with a reason.
        await admin.GetByRole(AriaRole.Button, new() { Name = "Kick bob" }).ClickAsync();
        var dialog = admin.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToBeVisibleAsync();
        await dialog.GetByLabel("Reason").FillAsync("spamming");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Kick" }).ClickAsync();
        Assert.Contains("You have been kicked: spamming", await bob.WaitClosedAsync());
        await alice.ExpectLineAsync("bob left the chat (kicked: spamming)", "system");
        await Expect(admin.Locator("#feedback")).ToHaveTextAsync("Kicked bob: spamming");
        await Expect(rows).ToHaveCountAsync(2);

        // Kick the browser user: told why, and the page does not come back on its own.
        await admin.GetByRole(AriaRole.Button, new() { Name = "Kick alice" }).ClickAsync();
        await dialog.GetByLabel("Reason").FillAsync("testing kicks");
        await dialog.GetByLabel("Reason").PressAsync("Enter");
        await Expect(alice.ConnectMessage).ToHaveTextAsync("You have been kicked: testing kicks");
        await Expect(alice.Status).ToHaveAttributeAsync("data-state", "disconnected");
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(admin.Locator("#stat-users")).ToHaveTextAsync("1");
        Assert.Equal(["carol"], server.Hub.Usernames);
    }

    [Fact]
    public async Task With_approval_on_the_operator_lets_one_user_in_and_turns_another_away()
    {
        await using var server = await TestServer.StartAsync(o =>
        {
            o.AdminToken = Token;
            o.Hub.ApproveJoins = true;
        });
        await using var context = await browser.NewContextAsync(1400, 900);
        var admin = await OpenAdminAsync(context, server);
        await Expect(admin.Locator("#stat-approval")).ToHaveTextAsync("On");
        await Expect(admin.Locator("#stat-approval-note")).ToHaveTextAsync("0 waiting");
        await Expect(admin.GetByText("No join requests are waiting.")).ToBeVisibleAsync();

        var alice = await ChatPage.OpenAsync(context, server.WebUri);
        await alice.SubmitNameAsync("alice");
        await Expect(alice.ConnectMessage).ToHaveTextAsync("Waiting for an operator to let you in as alice...");
        await Expect(alice.Status).ToHaveAttributeAsync("data-state", "waiting");

        var mallory = await ChatPage.OpenAsync(context, server.WebUri);
        await mallory.SubmitNameAsync("mallory");
        await Expect(mallory.Status).ToHaveAttributeAsync("data-state", "waiting");

        var pending = admin.Locator("#pending-list li");
        await Expect(pending).ToHaveCountAsync(2);
        await Expect(admin.Locator("#stat-approval-note")).ToHaveTextAsync("2 waiting");
        await WebTestSettings.ScreenshotAsync(admin, "admin-approval");

        await admin.GetByRole(AriaRole.Button, new() { Name = "Approve alice" }).ClickAsync();
        await alice.ExpectConnectedAsync();
        await alice.ExpectUsersAsync("alice");
        await Expect(pending).ToHaveCountAsync(1);

        await admin.GetByRole(AriaRole.Button, new() { Name = "Reject mallory" }).ClickAsync();
        var dialog = admin.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Reason").FillAsync("not on the list");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Reject" }).ClickAsync();
        await Expect(mallory.ConnectMessage).ToHaveTextAsync("Your request to join was rejected: not on the list");
        await Expect(mallory.Status).ToHaveAttributeAsync("data-state", "disconnected");
        await Expect(pending).ToHaveCountAsync(0);
        Assert.Equal(["alice"], server.Hub.Usernames);
        await Expect(admin.Locator("#activity")).ToContainTextAsync(new Regex("Rejected join request from mallory"));
    }

    private static async Task<IPage> OpenAdminAsync(IBrowserContext context, TestServer server)
    {
        var admin = await context.NewPageAsync();
        var response = await admin.GotoAsync(new Uri(server.WebUri, "/admin?token=" + Uri.EscapeDataString(Token)).ToString());
        Assert.Equal(200, response!.Status);
        await Expect(admin.Locator("#status")).ToHaveAttributeAsync("data-state", "connected");
        return admin;
    }
}
