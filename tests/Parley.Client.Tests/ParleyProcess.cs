using System.Diagnostics;
using System.Text;
using System.Threading.Channels;

namespace Parley.Client.Tests;

/// <summary>
/// The real `parley` executable in a child process, with pipes for its standard streams. Found next
/// to the test assembly (the test project references it), never via the current directory.
/// </summary>
internal sealed class ParleyProcess : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly List<string> _output = [];
    private readonly StringBuilder _errors = new();
    private readonly Task _stdout;
    private readonly Task _stderr;

    private ParleyProcess(Process process)
    {
        _process = process;
        _stdout = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                lock (_output)
                {
                    _output.Add(line);
                }

                _lines.Writer.TryWrite(line);
            }

            _lines.Writer.TryComplete();
        });
        _stderr = Task.Run(async () =>
        {
            var text = await process.StandardError.ReadToEndAsync();
            lock (_errors)
            {
                _errors.Append(text);
            }
        });
    }

    public static string ParleyDll => Path.Combine(AppContext.BaseDirectory, "parley.dll");

    /// <summary>The dotnet host running these tests, so the child uses the same runtime.</summary>
    public static string DotnetHost =>
        Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";

    public int Id => _process.Id;

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

    public string Errors
    {
        get
        {
            lock (_errors)
            {
                return _errors.ToString();
            }
        }
    }

    public static ParleyProcess Start(params string[] args)
    {
        Parley.Testing.ParleyProcess.EnsureSigIntIsDelivered();
        var start = new ProcessStartInfo(DotnetHost)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(ParleyDll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return new ParleyProcess(Process.Start(start) ?? throw new InvalidOperationException("could not start parley"));
    }

    public async Task WriteLineAsync(string line)
    {
        await _process.StandardInput.WriteAsync(line + "\n");
        await _process.StandardInput.FlushAsync();
    }

    public void CloseInput() => _process.StandardInput.Close();

    /// <summary>Reads standard output until a line matches; throws after <see cref="Timeout"/> or at the end of output.</summary>
    public async Task<string> ExpectAsync(Func<string, bool> match)
    {
        using var cts = new CancellationTokenSource(Timeout);
        try
        {
            await foreach (var line in _lines.Reader.ReadAllAsync(cts.Token))
            {
                if (match(line))
                {
                    return line;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No matching line within {Timeout.TotalSeconds} s.\n{Describe()}");
        }

        throw new InvalidOperationException($"Output ended without a matching line.\n{Describe()}");
    }

    public Task<string> ExpectAsync(string contains) => ExpectAsync(l => l.Contains(contains, StringComparison.Ordinal));

    /// <summary>Waits for the process to exit (bounded) and for its output to be read to the end.</summary>
    public async Task<int> WaitForExitAsync()
    {
        using var cts = new CancellationTokenSource(Timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"parley did not exit within {Timeout.TotalSeconds} s.\n{Describe()}");
        }

        await Task.WhenAll(_stdout, _stderr).WaitAsync(Timeout);
        return _process.ExitCode;
    }

    /// <summary>Sends a POSIX signal by name, as a terminal does on Ctrl+C ("INT").</summary>
    public async Task SignalAsync(string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-" + signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) } })!;
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }

    public string Describe() => $"stdout:\n{string.Join("\n", Output)}\nstderr:\n{Errors}";

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
