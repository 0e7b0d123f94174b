using Parley.Testing;
using static Microsoft.Playwright.Assertions;

namespace Parley.Web.Tests;

[Collection(BrowserCollection.Name)]
public sealed class LargeRoomPageTests(BrowserFixture browser)
{
    [Fact]
    public async Task In_a_large_room_the_page_lists_the_first_names_and_counts_everyone()
    {
        await using var server = await TestServer.StartAsync(o =>
        {
            o.Hub.LargeRoom = 2;
            o.Hub.PresenceInterval = TimeSpan.FromMilliseconds(200);
        });
        await using var amy = await server.JoinTextAsync("amy");
        await using var ben = await server.JoinTextAsync("ben");
        await using var cal = await server.JoinTextAsync("cal");
        await using var context = await browser.NewContextAsync();
        var zoe = await ChatPage.OpenAsync(context, server.WebUri);

        await zoe.JoinAsync("zoe");

        await Expect(zoe.Page.Locator("#user-count")).ToHaveTextAsync("4");
        await Expect(zoe.UserList.Locator("li.more")).ToHaveTextAsync("and 2 more (/who 2)");

        await using var dan = await server.JoinTextAsync("dan");
        // Zoe's own join may fall in the same summary as dan's.
        await zoe.ExpectLineAsync(new System.Text.RegularExpressions.Regex(@"^.*\+[12] joined in the last 0\.2 s \(5 here\)$"), "system");
        await Expect(zoe.Page.Locator("#user-count")).ToHaveTextAsync("5");

        await zoe.SendAsync("/who 3");
        await zoe.ExpectLineAsync("Online (page 3 of 3, 5 in all): zoe", "info");
    }
}
