using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace Parley.Testing;

/// <summary>
/// A real WebSocket client for the /ws endpoint: a background loop collects each text message, and
/// every wait is bounded so a missing message fails the test instead of hanging it.
/// </summary>
public sealed class WebSocketJsonClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly Channel<string> _messages = Channel.CreateUnbounded<string>();
    private readonly List<string> _seen = [];
    private readonly Task _reader;

    private WebSocketJsonClient(ClientWebSocket socket)
    {
        _socket = socket;
        _reader = Task.Run(ReadLoopAsync);
    }

    public WebSocket Socket => _socket;

    /// <summary>Every message received so far, in order.</summary>
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

    /// <summary>The close status the server sent, once the connection has closed.</summary>
    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public string? CloseDescription => _socket.CloseStatusDescription;

    /// <summary>Connects to /ws; <paramref name="headers"/> go on the handshake (e.g. X-Forwarded-For, as a proxy would add it).</summary>
    public static async Task<WebSocketJsonClient> ConnectAsync(Uri webUri, IReadOnlyDictionary<string, string>? headers = null)
    {
        var socket = new ClientWebSocket();
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            socket.Options.SetRequestHeader(name, value);
        }

        var uri = new UriBuilder(webUri) { Scheme = webUri.Scheme == "https" ? "wss" : "ws", Path = "/ws" }.Uri;
        using var timeout = new CancellationTokenSource(LineClient.DefaultTimeout);
        await socket.ConnectAsync(uri, timeout.Token).ConfigureAwait(false);
        return new WebSocketJsonClient(socket);
    }

    public Task SendAsync(object message) => SendTextAsync(JsonSerializer.Serialize(message));

    public Task SendTextAsync(string text) => SendRawAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text);

    public async Task SendRawAsync(byte[] bytes, WebSocketMessageType type)
    {
        using var timeout = new CancellationTokenSource(LineClient.DefaultTimeout);
        await _socket.SendAsync(bytes, type, endOfMessage: true, timeout.Token).ConfigureAwait(false);
    }

    /// <summary>The next message; throws on timeout, returns null once the server has closed the connection.</summary>
    public async Task<string?> ReadTextAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? LineClient.DefaultTimeout);
        try
        {
            if (await _messages.Reader.WaitToReadAsync(cts.Token).ConfigureAwait(false) && _messages.Reader.TryRead(out var message))
            {
                return message;
            }

            return null;
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No message within {(timeout ?? LineClient.DefaultTimeout).TotalSeconds:0.#} s. Seen so far:\n{string.Join("\n", Seen)}");
        }
    }

    public async Task<JsonElement> ReadAsync(TimeSpan? timeout = null)
    {
        var text = await ReadTextAsync(timeout).ConfigureAwait(false) ?? throw new IOException("Connection closed");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Reads until a message of <paramref name="type"/> that also satisfies <paramref name="match"/>.</summary>
    public async Task<JsonElement> ExpectTypeAsync(string type, Func<JsonElement, bool>? match = null, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? LineClient.DefaultTimeout);
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"No '{type}' message. Seen so far:\n{string.Join("\n", Seen)}");
            }

            var text = await ReadTextAsync(left).ConfigureAwait(false)
                ?? throw new IOException($"Connection closed before a '{type}' message. Seen:\n{string.Join("\n", Seen)}");
            var element = JsonDocument.Parse(text).RootElement.Clone();
            if (element.GetProperty("type").GetString() == type && (match is null || match(element)))
            {
                return element;
            }
        }
    }

    /// <summary>Joins as <paramref name="name"/> and reads the welcome.</summary>
    public async Task<JsonElement> JoinAsync(string name)
    {
        await SendAsync(new { type = "join", username = name }).ConfigureAwait(false);
        return await ExpectTypeAsync("welcome").ConfigureAwait(false);
    }

    /// <summary>Waits until the server closes the connection, returning the messages that came before.</summary>
    public async Task<IReadOnlyList<string>> WaitClosedAsync(TimeSpan? timeout = null)
    {
        var rest = new List<string>();
        while (await ReadTextAsync(timeout).ConfigureAwait(false) is { } message)
        {
            rest.Add(message);
        }

        await _reader.ConfigureAwait(false);
        return rest;
    }

    /// <summary>Starts a normal close from the client side and waits for the server's answer.</summary>
    public async Task CloseAsync()
    {
        using var timeout = new CancellationTokenSource(LineClient.DefaultTimeout);
        await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token).ConfigureAwait(false);
        await _reader.WaitAsync(timeout.Token).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        _socket.Abort();
        _socket.Dispose();
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
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer, CancellationToken.None).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    if (_socket.State == WebSocketState.CloseReceived)
                    {
                        await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).ConfigureAwait(false);
                    }

                    break;
                }

                message.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    var text = Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length);
                    message.SetLength(0);
                    lock (_seen)
                    {
                        _seen.Add(text);
                    }

                    _messages.Writer.TryWrite(text);
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or OperationCanceledException or IOException)
        {
        }
        finally
        {
            _messages.Writer.TryComplete();
        }
    }
}
