using System.Diagnostics;

namespace Parley.Testing;

/// <summary>
/// A real, tiny tmpfs for fault tests (full disk, read-only data directory). Mounting needs root,
/// which CI and the development container have; elsewhere these tests fail saying so rather than
/// pretending to pass.
/// </summary>
public static class Tmpfs
{
    public static Task MountAsync(string directory, string size) =>
        RunAsync("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", directory);

    public static Task RemountReadOnlyAsync(string directory) => RunAsync("mount", "-o", "remount,ro", directory);

    public static Task UnmountAsync(string directory) => RunAsync("umount", directory);

    /// <summary>Writes <paramref name="path"/> until the file system says it is full (ENOSPC), then gives back <paramref name="leaveBytes"/>.</summary>
    public static async Task FillAsync(string path, long leaveBytes = 0)
    {
        await using var stream = File.OpenWrite(path);
        await FillAsync(stream).ConfigureAwait(false);
        stream.SetLength(Math.Max(0, stream.Length - leaveBytes));
    }

    private static async Task FillAsync(FileStream stream)
    {
        var block = new byte[4096];
        try
        {
            while (true)
            {
                await stream.WriteAsync(block).ConfigureAwait(false);
                await stream.FlushAsync().ConfigureAwait(false);
            }
        }
        catch (IOException)
        {
            // ENOSPC: the disk is full now.
        }
    }

    private static async Task RunAsync(string command, params string[] args)
    {
        var info = new ProcessStartInfo(command) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        await process.WaitForExitAsync().ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{command} {string.Join(' ', args)} failed (these tests need root for tmpfs): {await process.StandardError.ReadToEndAsync().ConfigureAwait(false)}");
        }
    }
}
