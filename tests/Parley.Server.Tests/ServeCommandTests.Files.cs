using System.Text.RegularExpressions;
using Parley.Testing;

namespace Parley.Server.Tests;

/// <summary>`parley serve`'s file options reach the server.</summary>
public sealed partial class ServeCommandTests
{
    [Fact]
    public async Task File_options_set_the_size_limit_and_the_public_url_of_links()
    {
        using var data = new TempDataDirectory("parley-cli");
        using var process = Start("serve", "--host", "127.0.0.1", "--port", "0", "--web-port", "0", "--data", data.Path,
            "--max-file-size", "1KiB", "--files-quota", "1MiB", "--file-retention", "1h", "--public-url", "https://chat.example.org/");
        try
        {
            process.StandardInput.Close();
            int chat;
            while (true)
            {
                var line = await process.StandardOutput.ReadLineAsync().WaitAsync(LineClient.DefaultTimeout) ?? throw new IOException("parley serve exited");
                if (ChatPortPattern().Match(line) is { Success: true } match)
                {
                    chat = int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
                    break;
                }
            }

            await using var alice = new JsonLineClient(await LineClient.ConnectAsync(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, chat)));
            await alice.SendAsync(new { type = "join", username = "alice" });
            await alice.ExpectTypeAsync("welcome");
            await alice.SendAsync(new { type = "file_offer", name = "big.bin", size = 1025 });
            Assert.Contains("at most 1.0 KiB", (await alice.ExpectTypeAsync("file_refused")).GetProperty("message").GetString(), StringComparison.Ordinal);
            await alice.SendAsync(new { type = "file_offer", name = "ok.bin", size = 1024 });
            var upload = await alice.ExpectTypeAsync("file_upload");
            Assert.StartsWith("https://chat.example.org/files/uploads/", upload.GetProperty("upload_url").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    [Theory]
    [InlineData("--max-file-size", "lots", "--max-file-size must be a size")]
    [InlineData("--file-retention", "forever", "--file-retention must be a duration")]
    [InlineData("--public-url", "chat.example.org", "--public-url must be an absolute")]
    public async Task Bad_file_options_are_refused(string option, string value, string message)
    {
        using var process = Start("serve", "--port", "0", "--web-port", "-1", option, value);
        process.StandardInput.Close();
        var error = await process.StandardError.ReadToEndAsync().WaitAsync(LineClient.DefaultTimeout);
        await process.WaitForExitAsync().WaitAsync(LineClient.DefaultTimeout);
        Assert.Equal(2, process.ExitCode);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"chat on 127\.0\.0\.1:(\d+)")]
    private static partial Regex ChatPortPattern();
}
