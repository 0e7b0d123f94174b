using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Parley.Testing;

namespace Parley.Server.Tests;

/// <summary>The real server's whole console output never shows a password or a configured admin token.</summary>
public sealed partial class SecretHygieneTests : IDisposable
{
    private readonly TempDataDirectory _data = new("parley-secrets");

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Passwords_and_the_admin_token_never_reach_the_log()
    {
        const string Token = "tok-5ecret-never-logged";
        const string Password = "pw-hunter2-never-logged";
        var (server, port) = await ParleyProcess.StartServerAsync(_data.Path, environment: new Dictionary<string, string> { ["PARLEY_ADMIN_TOKEN"] = Token });
        await using var _ = server;
        var listening = server.Output.First(l => l.Contains("Parley is listening", StringComparison.Ordinal));
        var webPort = int.Parse(WebPort().Match(listening).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

        await using var client = new JsonLineClient(await LineClient.ConnectAsync(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, port)));
        await client.SendAsync(new { type = "join", username = "alice", password = Password });
        await client.ExpectTypeAsync("welcome");
        await client.SendAsync(new { type = "command", line = "/msg nobody " + Password });

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{webPort}/") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        (await http.GetAsync("api/status")).EnsureSuccessStatusCode();
        (await http.GetAsync($"admin?token={Token}")).EnsureSuccessStatusCode();
        using var wrong = new HttpClient { BaseAddress = http.BaseAddress };
        wrong.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token + "x");
        await wrong.GetAsync("api/status");

        server.Signal(ParleyProcess.SigTerm);
        Assert.Equal(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(10)));
        var output = string.Join("\n", server.Output);
        Assert.Contains("alice", output, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, output, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, output, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, await File.ReadAllTextAsync(Path.Combine(_data.Path, "chat.log")), StringComparison.Ordinal);
    }

    [GeneratedRegex(@"web on [^ ]*:(\d+)")]
    private static partial Regex WebPort();
}
