using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Parley.Bench.Tests;

/// <summary>
/// A tiny chat relay whose faults the test chooses: it welcomes each name like Parley's text mode,
/// then passes every line to every other client as "[00:00:00] NAME: line" through
/// <see cref="Rewrite"/>, which may drop, repeat, alter or re-attribute it. Output is written in
/// small pieces so the bench client sees lines split across reads.
/// </summary>
internal sealed class ScriptedRelay : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Client> _clients = [];
    private readonly List<Task> _tasks = [];
    private readonly Task _accepting;

    public ScriptedRelay()
    {
        _listener.Start();
        _accepting = AcceptLoopAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Given the sender's name and its line, the lines every receiver gets instead.</summary>
    public Func<string, string, IEnumerable<string>> Rewrite { get; set; } = (name, line) => [$"[00:00:00] {name}: {line}"];

    /// <summary>Bytes per write when relaying; small values split lines across reads.</summary>
    public int ChunkBytes { get; set; } = 7;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        lock (_clients)
        {
            foreach (var client in _clients)
            {
                client.Tcp.Dispose();
            }
        }

        try
        {
            await _accepting;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        Task[] tasks;
        lock (_clients)
        {
            tasks = [.. _tasks];
        }

        await Task.WhenAll(tasks.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var tcp = await _listener.AcceptTcpClientAsync(_stop.Token);
            tcp.NoDelay = true;
            lock (_clients)
            {
                _tasks.Add(ServeAsync(tcp));
            }
        }
    }

    private async Task ServeAsync(TcpClient tcp)
    {
        using var reader = new StreamReader(tcp.GetStream(), Encoding.UTF8);
        var name = await reader.ReadLineAsync(_stop.Token);
        if (name is null)
        {
            return;
        }

        var client = new Client(tcp, name);
        await client.WriteAsync($"Welcome to Parley, {name}! Type /help for commands.\n", ChunkBytes, _stop.Token);
        lock (_clients)
        {
            _clients.Add(client);
        }

        while (await reader.ReadLineAsync(_stop.Token) is { } line)
        {
            Client[] others;
            lock (_clients)
            {
                others = [.. _clients.Where(c => c != client)];
            }

            foreach (var output in Rewrite(name, line))
            {
                foreach (var other in others)
                {
                    await other.WriteAsync(output + "\n", ChunkBytes, _stop.Token);
                }
            }
        }
    }

    private sealed class Client(TcpClient tcp, string name)
    {
        private readonly SemaphoreSlim _writing = new(1);

        public TcpClient Tcp => tcp;

        public string Name => name;

        public async Task WriteAsync(string text, int chunk, CancellationToken cancellationToken)
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            await _writing.WaitAsync(cancellationToken);
            try
            {
                var stream = tcp.GetStream();
                for (var at = 0; at < bytes.Length; at += chunk)
                {
                    await stream.WriteAsync(bytes.AsMemory(at, Math.Min(chunk, bytes.Length - at)), cancellationToken);
                }
            }
            finally
            {
                _writing.Release();
            }
        }
    }
}
