using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using System.Threading.Channels;

namespace Parley.Testing;

/// <summary>
/// The real `parley` executable as a child process (the test project must reference src/Parley so
/// parley.dll sits next to the tests). Output is collected line by line and can be awaited.
/// </summary>
public sealed partial class ParleyProcess : IAsyncDisposable
{
    public const int SigInt = 2;
    public const int SigKill = 9;
    public const int SigTerm = 15;

    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly List<string> _output = [];

    private ParleyProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>The web port a server started by <see cref="StartServerAsync"/> listens on (null when it is off).</summary>
    public int? WebPort { get; private set; }

    /// <summary>Everything written to stdout and stderr so far.</summary>
    public IReadOnlyList<string> Output
    {
        get
        {
            lock (_output)
            {
                return [.. _output];
            }
        }
    }

    public static string ExecutablePath => Path.Combine(AppContext.BaseDirectory, "parley.dll");

    public static ParleyProcess Start(IEnumerable<string> args, IDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory,
        };
        info.ArgumentList.Add(ExecutablePath);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        EnsureSigIntIsDelivered();
        return new ParleyProcess(Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start"));
    }

    /// <summary>Starts `parley serve` on ephemeral loopback ports and waits until it listens.</summary>
    public static async Task<(ParleyProcess Process, int ChatPort)> StartServerAsync(string dataDirectory, IEnumerable<string>? extraArgs = null, IDictionary<string, string>? environment = null)
    {
        var args = new List<string> { "serve", "--host", "127.0.0.1", "--port", "0", "--web-port", "0", "--data", dataDirectory };
        args.AddRange(extraArgs ?? []);
        var process = Start(args, environment);
        var line = await process.ExpectOutputAsync("Parley is listening", TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        var port = int.Parse(ChatPortPattern().Match(line).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        if (WebPortPattern().Match(line) is { Success: true } web)
        {
            process.WebPort = int.Parse(web.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        }

        return (process, port);
    }

    /// <summary>Waits for an output line containing <paramref name="text"/>.</summary>
    public async Task<string> ExpectOutputAsync(string text, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await foreach (var line in _lines.Reader.ReadAllAsync(cts.Token).ConfigureAwait(false))
            {
                if (line.Contains(text, StringComparison.Ordinal))
                {
                    return line;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        throw new TimeoutException($"parley never printed '{text}'. Output:\n{string.Join("\n", Output)}");
    }

    /// <summary>Writes <paramref name="text"/> to the process's stdin and closes it.</summary>
    public async Task WriteInputAndCloseAsync(string text)
    {
        await _process.StandardInput.WriteAsync(text).ConfigureAwait(false);
        _process.StandardInput.Close();
    }

    public void Signal(int signal)
    {
        if (Kill(_process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"parley did not exit within {timeout.TotalSeconds:0.#} s. Output:\n{string.Join("\n", Output)}");
        }

        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }

        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Add(line);
        }

        _lines.Writer.TryWrite(line);
    }

    /// <summary>
    /// A test run started as a background job of a non-interactive shell has SIGINT ignored, and
    /// children inherit that: the processes we start would never see Ctrl+C. Restores the default once.
    /// </summary>
    public static void EnsureSigIntIsDelivered()
    {
        if (!OperatingSystem.IsLinux() || Interlocked.Exchange(ref s_sigIntChecked, 1) == 1)
        {
            return;
        }

        var ignored = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        if (ignored is not null && (Convert.ToUInt64(ignored[7..].Trim(), 16) & (1UL << (SigInt - 1))) != 0)
        {
            _ = SetSignal(SigInt, IntPtr.Zero); // SIG_DFL
        }
    }

    private static int s_sigIntChecked;

    [LibraryImport("libc", EntryPoint = "signal")]
    private static partial IntPtr SetSignal(int signal, IntPtr handler);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    [GeneratedRegex(@"chat on [^ ]*:(\d+) ")]
    private static partial Regex ChatPortPattern();

    [GeneratedRegex(@"web on [^ ]*:(\d+)")]
    private static partial Regex WebPortPattern();
}
