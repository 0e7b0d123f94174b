using System.Security.Cryptography;
using Parley.Protocol.Events;
using Parley.Testing;

namespace Parley.Client.Tests;

/// <summary>`parley chat` in a real terminal (tmux) while a file goes out: the progress bar in the prompt.</summary>
public sealed class UploadProgressTests : IDisposable
{
    private const int MiB = 1024 * 1024;
    private readonly string _dir = Directory.CreateTempSubdirectory("parley-progress-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task The_prompt_shows_the_upload_s_progress_while_typing_goes_on_and_the_bar_goes_when_it_is_done()
    {
        // 4 chunks of 1 MiB; the third is held at the gate, so the upload stands at exactly 50% until released.
        await using var gate = await UploadGate.StartAsync(holdAt: 2 * MiB);
        await using var server = await TestServer.StartAsync(o =>
        {
            o.PublicUrl = gate.Origin;
            o.Files.ChunkSize = MiB;
        });
        gate.Target = server.WebUri;
        await using var bob = await ChatClient.ConnectAsync("127.0.0.1", server.ChatEndPoint.Port);
        await bob.JoinAsync("bob");
        var path = Path.Combine(_dir, "big.bin");
        await File.WriteAllBytesAsync(path, RandomNumberGenerator.GetBytes(4 * MiB));

        var command = $"'{ParleyProcess.DotnetHost}' '{ParleyProcess.ParleyDll}' chat 127.0.0.1 {server.ChatEndPoint.Port} --user alice; echo EXIT=$?; sleep 600";
        await using var terminal = await TmuxSession.StartAsync(command, columns: 120, rows: 30);
        await terminal.WaitForAsync(s => s.Length > 0 && s[^1] == "alice>", "the prompt after joining");
        await terminal.TypeAsync("/send " + path);
        await terminal.PressAsync("Enter");

        await gate.Held.WaitAsync(TmuxSession.Timeout);
        var screen = await terminal.WaitForAsync(s => s[^1].StartsWith("[##########----------]", StringComparison.Ordinal), "the bar at 50%");
        Assert.Equal("[##########----------]  50% big.bin alice>", screen[^1]);
        Assert.Contains(screen, r => r.EndsWith("] Uploading big.bin (4.0 MiB)...", StringComparison.Ordinal));

        // The prompt is still a working editor while the bytes go out.
        await terminal.TypeAsync("still typing");
        await terminal.WaitForAsync(s => s[^1] == "[##########----------]  50% big.bin alice> still typing", "typed text after the bar");
        await terminal.PressAsync("C-u");

        gate.Release();
        Assert.Equal("big.bin", (await bob.NextAsync<FileSharedEvent>()).Name);
        screen = await terminal.WaitForAsync(s => s[^1] == "alice>" && s.Any(r => r.EndsWith("] *** alice shared big.bin (4.0 MiB)", StringComparison.Ordinal)), "the announcement and the plain prompt back");
        Assert.DoesNotContain(screen, r => r.Contains("[#", StringComparison.Ordinal));

        await terminal.PressAsync("C-d");
        await terminal.WaitForAsync(s => s.Contains("EXIT=0"), "a clean exit");
    }
}
