using System.Text.RegularExpressions;
using Parley.Core;
using Parley.Testing;
using static Microsoft.Playwright.Assertions;

namespace Parley.Web.Tests;

[Collection(BrowserCollection.Name)]
public sealed partial class HistoryPageTests(BrowserFixture browser)
{
    [Fact]
    public async Task History_is_greyed_and_dated_search_finds_messages_and_a_registered_name_takes_a_password()
    {
        await using var server = await TestServer.StartAsync();
        server.Hub.Store.SaveAccount(PasswordHasher.Create("dave", "dave-password", Account.UserRole, DateTimeOffset.UtcNow, iterations: 1_000));
        await using var carol = await server.JoinTextAsync("carol");
        await carol.SendLineAsync("the deploy is <b>done</b>");
        await carol.ExpectAsync("carol: the deploy is");

        await using var context = await browser.NewContextAsync();
        var alice = await ChatPage.OpenAsync(context, server.WebUri);
        await alice.JoinAsync("alice");
        var replayed = await alice.ExpectLineAsync("the deploy is <b>done</b>", "history");
        await Expect(replayed.Locator(".who")).ToHaveTextAsync("#general carol");
        await Expect(replayed.Locator("time")).ToHaveTextAsync(DatedTime());
        Assert.Equal("rgb(138, 143, 152)", await replayed.EvaluateAsync<string>("e => getComputedStyle(e).color"));
        await alice.ExpectLineAsync("End of history of #general (1 messages)", "history");

        await alice.Page.GetByLabel("Search messages").FillAsync("deploy");
        await alice.Page.GetByLabel("Search messages").PressAsync("Enter");
        await alice.ExpectLineAsync("1 result for \"deploy\"", "history");
        await Expect(alice.Messages.Filter(new() { HasText = "the deploy is <b>done</b>" })).ToHaveCountAsync(2);

        var dave = await ChatPage.OpenAsync(context, server.WebUri);
        await dave.SubmitNameAsync("dave");
        await Expect(dave.ConnectMessage).ToContainTextAsync("dave is registered");
        await dave.Page.GetByLabel("Password").FillAsync("dave-password");
        await dave.Page.GetByLabel("Username").PressAsync("Enter");
        await dave.ExpectConnectedAsync();
        await Expect(dave.Page.Locator("#me-name")).ToHaveTextAsync("dave");
    }

    [GeneratedRegex(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$")]
    private static partial Regex DatedTime();
}
