using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;

namespace Parley.Testing;

/// <summary>
/// A real TCP client for tests: a background loop reads lines into a queue, and every wait is
/// bounded by a timeout so a missing line fails the test instead of hanging it.
/// </summary>
public sealed class LineClient : IAsyncDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly List<string> _seen = [];
    private readonly Task _reader;

    private LineClient(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
        _reader = Task.Run(ReadLoopAsync);
    }

    /// <summary>Every line received so far, in order (including ones skipped while expecting another).</summary>
    public IReadOnlyList<string> Seen
    {
        get
        {
            lock (_seen)
            {
                return [.. _seen];
            }
        }
    }

    public Socket Socket => _tcp.Client;

    /// <summary>Why the read loop stopped, when it was not a clean close by the server.</summary>
    public Exception? ReadError { get; private set; }

    public static async Task<LineClient> ConnectAsync(IPEndPoint endPoint)
    {
        var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(endPoint).ConfigureAwait(false);
        return new LineClient(tcp);
    }

    /// <summary>A client that connects but never reads: its receive window fills and stays full.</summary>
    public static async Task<TcpClient> ConnectSilentAsync(IPEndPoint endPoint)
    {
        var tcp = new TcpClient { NoDelay = true, ReceiveBufferSize = 4096 };
        await tcp.ConnectAsync(endPoint).ConfigureAwait(false);
        return tcp;
    }

    public Task SendLineAsync(string line) => SendRawAsync(Encoding.UTF8.GetBytes(line + "\n"));

    public async Task SendRawAsync(byte[] bytes) => await _stream.WriteAsync(bytes).ConfigureAwait(false);

    /// <summary>The next line; throws on timeout, returns null when the server closed the connection.</summary>
    public async Task<string?> ReadLineAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            if (await _lines.Reader.WaitToReadAsync(cts.Token).ConfigureAwait(false) && _lines.Reader.TryRead(out var line))
            {
                return line;
            }

            return null;
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No line within {(timeout ?? DefaultTimeout).TotalSeconds:0.#} s. Seen so far:\n{string.Join("\n", Seen)}");
        }
    }

    /// <summary>Reads lines until one matches; earlier lines are skipped. Throws on timeout or close.</summary>
    public async Task<string> ExpectAsync(Func<string, bool> match, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"No matching line. Seen so far:\n{string.Join("\n", Seen)}");
            }

            var line = await ReadLineAsync(left).ConfigureAwait(false)
                ?? throw new IOException($"Connection closed ({ReadError?.Message ?? "by the server"}) before a matching line. Seen:\n{string.Join("\n", Seen)}");
            if (match(line))
            {
                return line;
            }
        }
    }

    public Task<string> ExpectAsync(string contains, TimeSpan? timeout = null) =>
        ExpectAsync(l => l.Contains(contains, StringComparison.Ordinal), timeout);

    /// <summary>Waits until the server closes the connection, returning the lines that came before.</summary>
    public async Task<IReadOnlyList<string>> WaitClosedAsync(TimeSpan? timeout = null)
    {
        var rest = new List<string>();
        while (await ReadLineAsync(timeout).ConfigureAwait(false) is { } line)
        {
            rest.Add(line);
        }

        return rest;
    }

    public async ValueTask DisposeAsync()
    {
        _tcp.Dispose();
        try
        {
            await _reader.ConfigureAwait(false);
        }
        catch (Exception)
        {
        }
    }

    private async Task ReadLoopAsync()
    {
        var pending = new MemoryStream();
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var read = await _stream.ReadAsync(buffer).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                var data = buffer.AsSpan(0, read);
                int newline;
                while ((newline = data.IndexOf((byte)'\n')) >= 0)
                {
                    pending.Write(data[..newline]);
                    var line = Encoding.UTF8.GetString(pending.GetBuffer(), 0, (int)pending.Length).TrimEnd('\r');
                    pending.SetLength(0);
                    lock (_seen)
                    {
                        _seen.Add(line);
                    }

                    _lines.Writer.TryWrite(line);
                    data = data[(newline + 1)..];
                }

                pending.Write(data);
            }
        }
        catch (Exception ex)
        {
            ReadError = ex;
        }
        finally
        {
            _lines.Writer.TryComplete();
        }
    }
}
