using System.Buffers;
using System.IO.Pipelines;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Channels;
using Parley.Protocol;
using Parley.Protocol.Events;

namespace Parley.Client;

/// <summary>
/// A JSON-lines connection to a Parley server: connect, join, send, read typed events, leave.
/// One read loop turns the socket into <see cref="Events"/>, in the order the server sent them,
/// beginning with the <see cref="WelcomeEvent"/>. Sends may come from any thread; they are serialized
/// so lines never interleave. <see cref="Completion"/> says how and why the connection ended.
/// </summary>
public sealed class ChatClient : IAsyncDisposable
{
    private const string TextErrorPrefix = "ERROR ";
    private static readonly TimeSpan DefaultQuitTimeout = TimeSpan.FromSeconds(5);

    private readonly TcpClient _tcp;
    private readonly Stream _stream;
    private readonly PipeReader _input;
    private readonly ChatClientOptions _options;
    private readonly Channel<ServerEvent> _events;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly Lock _gate = new();
    private readonly Queue<PendingPing> _pings = new();
    private readonly TaskCompletionSource<Disconnection> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _readLoop;
    private TaskCompletionSource<WelcomeEvent>? _join;
    private volatile string? _username;
    private volatile bool _quitting;
    private string? _lastWords;
    private long _skippedLines;
    private int _disposed;

    private ChatClient(TcpClient tcp, Stream stream, string host, int port, ChatClientOptions options)
    {
        _tcp = tcp;
        _stream = stream;
        _options = options;
        Host = host;
        Port = port;
        _input = PipeReader.Create(_stream, new StreamPipeReaderOptions(leaveOpen: true));
        _events = Channel.CreateBounded<ServerEvent>(new BoundedChannelOptions(options.EventCapacity)
        {
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _readLoop = Task.Run(ReadLoopAsync);
    }

    public string Host { get; }

    public int Port { get; }

    /// <summary>The name the server accepted, once joined.</summary>
    public string? Username => _username;

    public bool IsJoined => _username is not null;

    /// <summary>Every server message from the welcome on, in order. Completes when the connection ends.</summary>
    public ChannelReader<ServerEvent> Events => _events.Reader;

    /// <summary>Completes when the connection has ended (before <see cref="Events"/> completes), never faults.</summary>
    public Task<Disconnection> Completion => _completion.Task;

    /// <summary>Lines from the server that were over <see cref="ChatClientOptions.MaxLineBytes"/> or not JSON, and so were dropped.</summary>
    public long SkippedLines => Interlocked.Read(ref _skippedLines);

    /// <summary>
    /// Opens a TCP connection. Throws <see cref="SocketException"/> when the host is unknown or refuses,
    /// and <see cref="TimeoutException"/> when nothing answers within <see cref="ChatClientOptions.ConnectTimeout"/>.
    /// </summary>
    public static async Task<ChatClient> ConnectAsync(string host, int port, ChatClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new ChatClientOptions();
        var tcp = new TcpClient { NoDelay = true };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ConnectTimeout);
        try
        {
            await tcp.ConnectAsync(host, port, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            tcp.Dispose();
            throw new TimeoutException($"No answer from {host}:{port} within {options.ConnectTimeout.TotalSeconds:0.#} s");
        }
        catch
        {
            tcp.Dispose();
            throw;
        }

        if (!options.Tls)
        {
            return new ChatClient(tcp, tcp.GetStream(), host, port, options);
        }

        var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
        try
        {
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = host,
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                    errors == SslPolicyErrors.None || (options.AllowUntrustedCertificate && certificate is not null) ||
                    (options.PinnedFingerprint is { } pin && certificate is not null && string.Equals(Fingerprint(certificate), NormalizeFingerprint(pin), StringComparison.Ordinal)),
            }, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await tls.DisposeAsync().ConfigureAwait(false);
            throw new TimeoutException($"No TLS handshake with {host}:{port} within {options.ConnectTimeout.TotalSeconds:0.#} s");
        }
        catch
        {
            await tls.DisposeAsync().ConfigureAwait(false);
            tcp.Dispose();
            throw;
        }

        return new ChatClient(tcp, tls, host, port, options)
        {
            ServerCertificateFingerprint = tls.RemoteCertificate is { } remote ? Fingerprint(remote) : null,
        };
    }

    /// <summary>With TLS, the SHA-256 fingerprint (colon-separated hex) of the server's certificate.</summary>
    public string? ServerCertificateFingerprint { get; private init; }

    /// <summary>The SHA-256 of a certificate as colon-separated upper-case hex, as `openssl x509 -fingerprint -sha256` and the server log show it.</summary>
    public static string Fingerprint(X509Certificate certificate) =>
        string.Join(':', SHA256.HashData(certificate.GetRawCertData()).Select(b => b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)));

    private static string NormalizeFingerprint(string fingerprint)
    {
        var hex = new string([.. fingerprint.Where(Uri.IsHexDigit)]).ToUpperInvariant();
        return string.Join(':', Enumerable.Range(0, hex.Length / 2).Select(i => hex.Substring(i * 2, 2)));
    }

    /// <summary>
    /// Joins under <paramref name="username"/>. Throws <see cref="JoinRefusedException"/> when the server
    /// refuses the name (the connection stays usable: try another), <see cref="IOException"/> when the
    /// connection ends first (server full, login timeout, shutdown).
    /// </summary>
    public async Task<WelcomeEvent> JoinAsync(string username, CancellationToken cancellationToken = default)
    {
        var join = new TaskCompletionSource<WelcomeEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_username is not null)
            {
                throw new InvalidOperationException($"Already joined as {_username}");
            }

            if (_join is not null)
            {
                throw new InvalidOperationException("A join is already in progress");
            }

            // Checked under the lock Finish takes, so a join can never wait on a connection already over.
            ThrowIfEnded();
            _join = join;
        }

        try
        {
            try
            {
                await SendAsync(new ClientRequest("join") { Username = username }, cancellationToken).ConfigureAwait(false);
            }
            catch (IOException)
            {
                // The connection is ending; the join fails below with the server's reason (e.g. "server full").
            }

            return await join.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            lock (_gate)
            {
                if (_join == join)
                {
                    _join = null;
                }
            }
        }
    }

    /// <summary>A public message; <paramref name="color"/> is one of <see cref="ChatColors.All"/> or null.</summary>
    public ValueTask SendMessageAsync(string content, string? color = null, CancellationToken cancellationToken = default) =>
        SendAsync(new ClientRequest("message") { Content = content, Color = color }, cancellationToken);

    public ValueTask SendPrivateAsync(string target, string content, string? color = null, CancellationToken cancellationToken = default) =>
        SendAsync(new ClientRequest("private_message") { Target = target, Content = content, Color = color }, cancellationToken);

    /// <summary>Asks who is online; the answer arrives as a <see cref="UsersEvent"/>.</summary>
    public ValueTask RequestUsersAsync(CancellationToken cancellationToken = default) =>
        SendAsync(new ClientRequest("who"), cancellationToken);

    /// <summary>Runs a text-mode command line on the server (<c>{"type":"command","line":"/..."}</c>), e.g. one this client does not know.</summary>
    public ValueTask SendCommandAsync(string line, CancellationToken cancellationToken = default) =>
        SendAsync(new ClientRequest("command") { Line = line }, cancellationToken);

    /// <summary>
    /// Offers a file to a room (<paramref name="room"/>, one the user is in; null for the current room) or
    /// privately to <paramref name="target"/>. The server answers, in order, with a <see cref="FileUploadEvent"/>
    /// (send the bytes with <see cref="FileUploader"/>) or a <see cref="FileRefusedEvent"/>.
    /// </summary>
    public ValueTask OfferFileAsync(string name, long size, string? sha256, string? target = null, string? room = null, CancellationToken cancellationToken = default) =>
        SendAsync(new ClientRequest("file_offer") { Name = name, Size = size, Sha256 = sha256, Target = target, Room = room }, cancellationToken);

    /// <summary>
    /// Sends a ping and completes with the round-trip time when its pong arrives. The server answers a
    /// connection's requests in order, so by then every earlier request has been handled, and every
    /// event up to and including the <see cref="PongEvent"/> is already on <see cref="Events"/>.
    /// </summary>
    public async Task<TimeSpan> PingAsync(CancellationToken cancellationToken = default)
    {
        var ping = new PendingPing();
        await WriteAsync(RequestWriter.Encode(new ClientRequest("ping")), ping, cancellationToken).ConfigureAwait(false);
        return await ping.Done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends any request. Throws <see cref="ArgumentException"/> when it is over the server's line limit.</summary>
    public ValueTask SendAsync(ClientRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return WriteAsync(RequestWriter.Encode(request), null, cancellationToken);
    }

    /// <summary>
    /// Leaves politely: sends <c>quit</c>, waits (bounded) for the server's goodbye and close, then
    /// releases the connection. Safe to call at any time, also after the connection has ended.
    /// </summary>
    public async Task<Disconnection> QuitAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        if (!_completion.Task.IsCompleted && IsJoined)
        {
            _quitting = true;
            try
            {
                await SendAsync(new ClientRequest("quit"), cancellationToken).ConfigureAwait(false);
                await _completion.Task.WaitAsync(timeout ?? DefaultQuitTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or TimeoutException)
            {
                // Gone already, or the server is too slow to say goodbye: closing below is all that is left.
            }
        }

        await DisposeAsync().ConfigureAwait(false);
        return await _completion.Task.ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _stop.Cancel();
            try
            {
                _tcp.Client.Shutdown(SocketShutdown.Both);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
            }

            _tcp.Dispose();
        }

        await _readLoop.ConfigureAwait(false);
    }

    private async ValueTask WriteAsync(byte[] line, PendingPing? ping, CancellationToken cancellationToken)
    {
        if (line.Length - 1 > _options.MaxRequestBytes)
        {
            throw new ArgumentException($"Too long: {line.Length - 1} bytes as JSON, the server accepts at most {_options.MaxRequestBytes}");
        }

        ThrowIfEnded();
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (ping is not null)
            {
                lock (_gate)
                {
                    ThrowIfEnded(); // under Finish's lock: a ping is either failed by Finish or never queued
                    ping.SentAt = _options.Time.GetTimestamp();
                    _pings.Enqueue(ping);
                }
            }

            try
            {
                // Deliberately not cancellable: a write abandoned half way would corrupt the line framing.
                // A write stuck on a dead peer ends when the connection is disposed.
                await _stream.WriteAsync(line, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
            {
                throw new IOException(_completion.Task.IsCompleted ? _completion.Task.Result.Message : "The connection is closed", ex);
            }
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private void ThrowIfEnded()
    {
        if (_completion.Task.IsCompleted)
        {
            throw new IOException(_completion.Task.Result.Message);
        }
    }

    private async Task ReadLoopAsync()
    {
        var framer = new LineFramer(_options.MaxLineBytes);
        Disconnection? end = null;
        try
        {
            while (true)
            {
                var result = await _input.ReadAsync(_stop.Token).ConfigureAwait(false);
                var buffer = result.Buffer;
                LineStatus status;
                while ((status = framer.TryRead(ref buffer, out var line)) != LineStatus.NeedMore)
                {
                    if (status == LineStatus.TooLong)
                    {
                        Interlocked.Increment(ref _skippedLines);
                        continue;
                    }

                    if (Parse(line) is { } evt)
                    {
                        await DeliverAsync(evt).ConfigureAwait(false);
                    }
                }

                _input.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (Exception ex)
        {
            // Whatever ended the loop, the connection is over; only the explanation differs.
            end = _stop.IsCancellationRequested || _quitting
                ? new Disconnection(_quitting ? DisconnectKind.Quit : DisconnectKind.ClosedByClient, "Closed by this client")
                : new Disconnection(DisconnectKind.ConnectionLost, "Connection lost: " + Describe(ex));
        }

        end ??= new Disconnection(
            _quitting ? DisconnectKind.Quit : DisconnectKind.ClosedByServer,
            Volatile.Read(ref _lastWords) ?? "The server closed the connection");
        Finish(end);
    }

    private static string Describe(Exception ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            if (e is SocketException socket)
            {
                return socket.Message;
            }
        }

        return ex.Message;
    }

    private ServerEvent? Parse(in ReadOnlySequence<byte> line)
    {
        if (ServerEventParser.TryParse(line, _options.Time.GetUtcNow(), out var evt))
        {
            return evt;
        }

        // Until the server has seen our first byte it speaks text mode: it may greet us as a person at
        // a terminal, or refuse us ("ERROR server full ..."). The refusal explains the close that follows;
        // the greeting, and any other line that is not JSON, is dropped.
        if (!IsJoined && Utf8Text.TryDecode(line, out var text) && text.StartsWith(TextErrorPrefix, StringComparison.Ordinal))
        {
            Volatile.Write(ref _lastWords, TextSanitizer.Clean(text[TextErrorPrefix.Length..]));
        }

        Interlocked.Increment(ref _skippedLines);
        return null;
    }

    private async ValueTask DeliverAsync(ServerEvent evt)
    {
        Volatile.Write(ref _lastWords, evt switch
        {
            GoodbyeEvent e => e.Message,
            ServerNoticeEvent e => e.Message,
            ErrorEvent e when !IsJoined => e.Message,
            _ => null,
        });

        if (!IsJoined)
        {
            TaskCompletionSource<WelcomeEvent>? join;
            lock (_gate)
            {
                join = _join;
            }

            switch (evt)
            {
                case WelcomeEvent welcome:
                    _username = welcome.Username;
                    await WriteEventAsync(evt).ConfigureAwait(false);
                    join?.TrySetResult(welcome);
                    return;
                case ErrorEvent error:
                    join?.TrySetException(new JoinRefusedException(error.Code, error.Message));
                    return;
                default:
                    // Nothing else is meant for a client that has not joined; Events starts with the welcome.
                    return;
            }
        }

        if (evt is PongEvent)
        {
            PendingPing? ping;
            lock (_gate)
            {
                _pings.TryDequeue(out ping);
            }

            // The pong goes on the stream first: once PingAsync completes, everything up to it is readable.
            await WriteEventAsync(evt).ConfigureAwait(false);
            ping?.Done.TrySetResult(_options.Time.GetElapsedTime(ping.SentAt));
            return;
        }

        await WriteEventAsync(evt).ConfigureAwait(false);
    }

    private ValueTask WriteEventAsync(ServerEvent evt) =>
        _events.Writer.TryWrite(evt) ? ValueTask.CompletedTask : _events.Writer.WriteAsync(evt, _stop.Token);

    private void Finish(Disconnection end)
    {
        _completion.TrySetResult(end);
        var closed = new IOException(end.Message);
        lock (_gate)
        {
            _join?.TrySetException(closed);
            while (_pings.TryDequeue(out var ping))
            {
                ping.Done.TrySetException(closed);
            }
        }

        _events.Writer.TryComplete();
        _input.Complete();
    }

    private sealed class PendingPing
    {
        public TaskCompletionSource<TimeSpan> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public long SentAt { get; set; }
    }
}
