using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Parley.Web.Tests;

/// <summary>The chat page as a user drives it: by labels and roles, the way a person or a screen reader finds things.</summary>
internal sealed class ChatPage(IPage page)
{
    public IPage Page => page;

    public ILocator Status => page.Locator("#status");

    public ILocator Messages => page.Locator("#messages > li");

    public ILocator UserList => page.Locator("#user-list");

    public ILocator RoomList => page.GetByRole(AriaRole.List, new() { Name = "Rooms" });

    public ILocator ConnectMessage => page.Locator("#connect-message");

    public ILocator MessageBox => page.GetByLabel("Message", new() { Exact = true });

    public ILocator SendButton => page.Locator("#send");

    public static async Task<ChatPage> OpenAsync(IBrowserContext context, Uri webUri)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync(webUri.ToString());
        return new ChatPage(page);
    }

    /// <summary>Types a name and presses Enter; does not wait for the outcome.</summary>
    public async Task SubmitNameAsync(string name)
    {
        await page.GetByLabel("Username").FillAsync(name);
        await page.GetByLabel("Username").PressAsync("Enter");
    }

    public async Task JoinAsync(string name)
    {
        await SubmitNameAsync(name);
        await ExpectConnectedAsync();
        await Expect(page.Locator("#me-name")).ToHaveTextAsync(name);
    }

    public Task ExpectConnectedAsync() => Expect(Status).ToHaveAttributeAsync("data-state", "connected");

    public async Task SendAsync(string text)
    {
        await MessageBox.FillAsync(text);
        await MessageBox.PressAsync("Enter");
        await Expect(MessageBox).ToHaveValueAsync(string.Empty);
    }

    /// <summary>The history line containing <paramref name="text"/>; waits for exactly one.</summary>
    public Task<ILocator> ExpectLineAsync(string text, string kind) => ExpectLineAsync(Messages.Filter(new() { HasText = text }), kind);

    public Task<ILocator> ExpectLineAsync(System.Text.RegularExpressions.Regex text, string kind) => ExpectLineAsync(Messages.Filter(new() { HasTextRegex = text }), kind);

    private static async Task<ILocator> ExpectLineAsync(ILocator line, string kind)
    {
        await Expect(line).ToHaveCountAsync(1);
        await Expect(line).ToHaveClassAsync(new System.Text.RegularExpressions.Regex($@"\bk-{kind}\b"));
        return line;
    }

    /// <summary>Waits until the room list shows exactly <paramref name="rooms"/>, in order, with <paramref name="current"/> marked as the one talked in.</summary>
    public async Task ExpectRoomsAsync(string current, params string[] rooms)
    {
        await Expect(RoomList.GetByRole(AriaRole.Button)).ToHaveTextAsync(rooms);
        await Expect(RoomList.Locator("[aria-current=true]")).ToHaveTextAsync(current);
    }

    public Task ExpectUsersAsync(params string[] names) =>
        Expect(UserList.Locator("li")).ToHaveTextAsync(names.Select(n => new System.Text.RegularExpressions.Regex("^" + System.Text.RegularExpressions.Regex.Escape(n) + @"(\(you\))?$")).ToArray());
}
