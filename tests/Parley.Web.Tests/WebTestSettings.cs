using System.Runtime.CompilerServices;
using Microsoft.Playwright;

namespace Parley.Web.Tests;

internal static class WebTestSettings
{
    /// <summary>Generous waits: the machine running the tests may be busy building other things.</summary>
    [ModuleInitializer]
    internal static void Initialize() => Assertions.SetDefaultExpectTimeout(15_000);

    /// <summary>
    /// Saves a screenshot when PARLEY_SCREENSHOTS names a directory (how docs/screenshots/ is made);
    /// otherwise does nothing, so ordinary runs leave no files behind.
    /// </summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        var directory = Environment.GetEnvironmentVariable("PARLEY_SCREENSHOTS");
        if (string.IsNullOrEmpty(directory))
        {
            return;
        }

        Directory.CreateDirectory(directory);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(directory, name + ".png") });
    }
}
