using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Parley.Testing;

namespace Parley.Server.Tests;

/// <summary>`parley serve` as a real process: the admin options, and no stdin (as in CI) is no problem.</summary>
public sealed partial class ServeCommandTests
{
    [Fact]
    public async Task Serve_with_closed_stdin_keeps_running_and_honours_admin_options()
    {
        using var data = new TempDataDirectory("parley-cli");
        using var process = Start("serve", "--host", "127.0.0.1", "--port", "0", "--web-port", "0", "--data", data.Path, "--admin-token", "cli-token-123", "--approve-joins");
        try
        {
            process.StandardInput.Close();
            var web = await ReadWebPortAsync(process);

            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{web}/") };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "cli-token-123");
            var status = await http.GetFromJsonAsync<JsonElement>("/api/status");
            Assert.True(status.GetProperty("approveJoins").GetBoolean());
            Assert.False(process.HasExited);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task A_generated_token_is_printed_once_with_the_admin_link()
    {
        using var data = new TempDataDirectory("parley-cli");
        using var process = Start("serve", "--host", "127.0.0.1", "--port", "0", "--web-port", "0", "--data", data.Path);
        try
        {
            process.StandardInput.Close();
            var lines = new List<string>();
            var web = await ReadWebPortAsync(process, lines);
            string? tokenLine = null;
            while (tokenLine is null)
            {
                var line = await process.StandardOutput.ReadLineAsync().WaitAsync(LineClient.DefaultTimeout) ?? throw new IOException("server exited");
                if (line.Contains("Admin token", StringComparison.Ordinal))
                {
                    tokenLine = line;
                }
            }

            var token = TokenPattern().Match(tokenLine).Groups[1].Value;
            Assert.Contains($"http://127.0.0.1:{web}/admin?token={token}", tokenLine, StringComparison.Ordinal);
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{web}/") };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            Assert.True((await http.GetAsync("/api/status")).IsSuccessStatusCode);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task A_too_short_admin_token_is_refused()
    {
        using var process = Start("serve", "--port", "0", "--web-port", "-1", "--admin-token", "short");
        process.StandardInput.Close();
        var error = await process.StandardError.ReadToEndAsync().WaitAsync(LineClient.DefaultTimeout);
        await process.WaitForExitAsync().WaitAsync(LineClient.DefaultTimeout);
        Assert.Equal(2, process.ExitCode);
        Assert.Contains("--admin-token must be at least 8 characters", error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_server_process_spins_less_in_its_thread_pool_than_the_runtime_default()
    {
        // The setting lives in parley.runtimeconfig.json, which `dotnet parley.dll` reads; see Parley.csproj.
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "parley.runtimeconfig.json")));
        var properties = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");
        Assert.Equal(10, properties.GetProperty("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit").GetInt32());
    }

    private static Process Start(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "parley.dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        return Process.Start(info) ?? throw new InvalidOperationException("could not start parley");
    }

    private static async Task<int> ReadWebPortAsync(Process process, List<string>? seen = null)
    {
        while (true)
        {
            var line = await process.StandardOutput.ReadLineAsync().WaitAsync(LineClient.DefaultTimeout)
                ?? throw new IOException("parley serve exited: " + await process.StandardError.ReadToEndAsync());
            seen?.Add(line);
            var match = WebPortPattern().Match(line);
            if (match.Success)
            {
                return int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            }
        }
    }

    [GeneratedRegex(@"web on 127\.0\.0\.1:(\d+)")]
    private static partial Regex WebPortPattern();

    [GeneratedRegex(@"Admin token \(generated; set --admin-token to choose one\): (\S+)")]
    private static partial Regex TokenPattern();
}
