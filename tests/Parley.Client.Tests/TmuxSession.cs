using System.Diagnostics;

namespace Parley.Client.Tests;

/// <summary>
/// A program running in a real terminal: a detached tmux session on a private tmux server (its own
/// socket, no user config), read back with capture-pane. Waits poll the screen, bounded.
/// </summary>
internal sealed class TmuxSession : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private readonly string _socket = "parley-test-" + Guid.NewGuid().ToString("N")[..12];

    private TmuxSession()
    {
    }

    public static async Task<TmuxSession> StartAsync(string command, int columns, int rows)
    {
        var session = new TmuxSession();
        await session.RunAsync("-f", "/dev/null", "new-session", "-d", "-s", "main", "-x", columns.ToString(System.Globalization.CultureInfo.InvariantCulture), "-y", rows.ToString(System.Globalization.CultureInfo.InvariantCulture), command);
        return session;
    }

    /// <summary>Types text literally, as if pasted key by key.</summary>
    public Task TypeAsync(string text) => RunAsync("send-keys", "-t", "main", "-l", text);

    /// <summary>Presses named keys (Enter, Left, C-c, ...).</summary>
    public Task PressAsync(params string[] keys) => RunAsync(["send-keys", "-t", "main", .. keys]);

    /// <summary>The screen's rows, without trailing blank rows; with <paramref name="escapes"/>, colours included.</summary>
    public async Task<string[]> CaptureAsync(bool escapes = false)
    {
        var text = await RunAsync(escapes ? ["capture-pane", "-p", "-e", "-t", "main"] : ["capture-pane", "-p", "-t", "main"]);
        var rows = text.Split('\n').Select(r => r.TrimEnd()).ToList();
        while (rows.Count > 0 && rows[^1].Length == 0)
        {
            rows.RemoveAt(rows.Count - 1);
        }

        return [.. rows];
    }

    public async Task<(int X, int Y)> CursorAsync()
    {
        var parts = (await RunAsync("display-message", "-p", "-t", "main", "#{cursor_x} #{cursor_y}")).Trim().Split(' ');
        return (int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Polls the screen until <paramref name="condition"/> holds; throws with the last screen after <see cref="Timeout"/>.</summary>
    public async Task<string[]> WaitForAsync(Func<string[], bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            var screen = await CaptureAsync();
            if (condition(screen))
            {
                return screen;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting for: {what}. Screen:\n{string.Join("\n", screen)}");
            }

            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await RunAsync("kill-server");
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private async Task<string> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("tmux")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-L");
        start.ArgumentList.Add(_socket);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("tmux did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(Timeout);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"tmux {string.Join(' ', args)} failed ({process.ExitCode}): {await errors}");
        }

        return await output;
    }
}
