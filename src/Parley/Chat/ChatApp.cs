using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using Parley.Client;
using Parley.Protocol;
using Parley.Protocol.Events;

namespace Parley.Cli.Chat;

/// <summary>
/// `parley chat`: connect, choose a name, then one UI loop that takes keys or input lines, server
/// events and signals from a single queue, so drawing and state changes never race. Leaving is
/// always polite (quit, wait for the goodbye); a lost connection is explained and, with
/// --reconnect, retried with backoff under the same name while the half-typed line stays put.
/// </summary>
internal sealed partial class ChatApp
{
    private readonly ChatOptions _options;
    private readonly Screen _screen;
    private readonly TextWriter _errors;
    private readonly TimeProvider _time;
    private readonly EventFormatter _format;
    private readonly LineEditor _editor = new();
    private readonly Channel<UiInput> _queue = Channel.CreateUnbounded<UiInput>();
    private readonly CancellationTokenSource _interrupt = new();
    private readonly Queue<PendingPong> _pings = new();
    private readonly SortedSet<string> _users = new(StringComparer.OrdinalIgnoreCase);
    private readonly Queue<string> _held = new();
    private readonly Backoff _backoff;
    private ChatClient? _client;
    private string? _name;
    private Task<Disconnection>? _quitting;
    private bool _inputEnded;
    private bool _sentSinceLastPing;
    private DateTimeOffset? _reconnectAt;
    private int? _exitCode;

    public ChatApp(ChatOptions options, Screen screen, TextWriter errors, TimeProvider time)
    {
        _options = options;
        _screen = screen;
        _errors = errors;
        _time = time;
        _format = new EventFormatter(time);
        _format.FileNumber = id => _fileNumbers.TryGetValue(id, out var number) ? number : 0;
        _backoff = new Backoff(options.FirstRetryDelay, options.MaxRetryDelay, Random.Shared.NextDouble);
        _editor.Completions = (word, atStart) => atStart && word.StartsWith('/') ? InputParser.Names : _users;
    }

    public async Task<int> RunAsync()
    {
        using var sigint = OnSignal(PosixSignal.SIGINT);
        using var sigterm = OnSignal(PosixSignal.SIGTERM);
        using var sighup = OnSignal(PosixSignal.SIGHUP);
        using var sigwinch = OperatingSystem.IsWindows() ? null : PosixSignalRegistration.Create(PosixSignal.SIGWINCH, _ => _queue.Writer.TryWrite(new UiInput.Resized()));
        try
        {
            return await JoinAsync() ?? await LoopAsync();
        }
        catch (OperationCanceledException) when (_interrupt.IsCancellationRequested)
        {
            return ExitCodes.Ok; // Ctrl+C while connecting or joining: nothing to leave yet.
        }
        finally
        {
            _screen.Close();
            _http?.Dispose();
            if (_client is not null)
            {
                await _client.DisposeAsync();
            }
        }
    }

    private async Task<int> LoopAsync()
    {
        while (_exitCode is null)
        {
            switch (await NextAsync())
            {
                case null:
                    await ReconnectAsync();
                    break;
                case UiInput.Key key:
                    await OnKeyAsync(key.Info);
                    break;
                case UiInput.Line line:
                    await OnLineAsync(line.Text);
                    break;
                case UiInput.InputEnded:
                    OnInputEnded();
                    break;
                case UiInput.Interrupted:
                    if (_quitting is not null || _client is null)
                    {
                        return ExitCodes.Ok; // a second Ctrl+C, or nothing to leave
                    }

                    BeginQuit();
                    break;
                case UiInput.Resized:
                    _screen.RedrawEditor();
                    break;
                case UiInput.FromServer server when server.Client == _client:
                    if (!await OnRejoinAnswerAsync(server.Event))
                    {
                        OnServerEvent(server.Event);
                    }

                    break;
                case UiInput.Run run:
                    run.Action();
                    break;
                case UiInput.ConnectionEnded ended when ended.Client == _client:
                    await OnConnectionEndedAsync(ended.End);
                    break;
            }
        }

        return _exitCode.Value;
    }

    // The next input; null when it is time for the next reconnect attempt.
    private async ValueTask<UiInput?> NextAsync()
    {
        if (_queue.Reader.TryRead(out var input))
        {
            return input;
        }

        if (_reconnectAt is not { } at)
        {
            return await _queue.Reader.ReadAsync();
        }

        var wait = at - _time.GetUtcNow();
        if (wait <= TimeSpan.Zero)
        {
            return null;
        }

        using var timeout = new CancellationTokenSource(wait);
        try
        {
            return await _queue.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    private async Task OnKeyAsync(ConsoleKeyInfo key)
    {
        switch (_editor.Handle(key))
        {
            case EditResult.Submitted when _client is null:
                _screen.Print(Error("not connected (reconnecting). Your line is kept: press Enter again once reconnected."));
                break;
            case EditResult.Submitted:
                var line = _editor.Submit();
                _screen.RedrawEditor();
                await OnLineAsync(line);
                break;
            case EditResult.Changed:
                _screen.RedrawEditor();
                break;
            case EditResult.EndOfInput:
                OnInputEnded();
                break;
            case EditResult.ClearScreen:
                _screen.Clear();
                break;
            case EditResult.ShowCandidates:
                Print(Tone.System, string.Join("  ", _editor.Candidates));
                break;
        }
    }

    private async Task OnLineAsync(string line)
    {
        if (_quitting is not null)
        {
            return; // lines after /quit in a script: the session is over
        }

        if (_client is null || _rejoin is not null)
        {
            _held.Enqueue(line); // input while reconnecting or rejoining rooms: sent once back in them
            return;
        }

        var client = _client;
        try
        {
            switch (InputParser.Parse(line))
            {
                case UserAction.Say say:
                    await Sent(client.SendMessageAsync(say.Content, say.Color));
                    break;
                case UserAction.Private pm:
                    await Sent(client.SendPrivateAsync(pm.Target, pm.Content, pm.Color));
                    break;
                case UserAction.SendFile send:
                    await OfferFileAsync(client, send);
                    break;
                case UserAction.Accept accept:
                    Accept(accept.Id);
                    break;
                case UserAction.Who:
                    await Sent(client.RequestUsersAsync());
                    break;
                case UserAction.Ping:
                    SendPing().Report = true;
                    break;
                case UserAction.Help:
                    PrintInOrder(HelpLines());
                    break;
                case UserAction.Quit:
                    BeginQuit();
                    break;
                case UserAction.PassThrough pass:
                    await Sent(client.SendCommandAsync(pass.Line));
                    break;
                case UserAction.Mistake mistake:
                    PrintInOrder([Error(mistake.Message)]);
                    break;
            }
        }
        catch (ArgumentException ex)
        {
            PrintInOrder([Error("not sent: " + ex.Message)]);
        }
        catch (IOException) when (_options.Reconnect && !_options.InputIsTerminal)
        {
            // The connection died before the UI heard of it: a scripted line waits for the reconnect
            // like one read while reconnecting, instead of being lost.
            _held.Enqueue(line);
        }
        catch (IOException)
        {
            // The connection is going; its end is reported when the read side sees it.
            _screen.Print(Error("not sent: not connected."));
        }
    }

    private void OnInputEnded()
    {
        _inputEnded = true;
        if (_quitting is not null)
        {
            return;
        }

        if (_options.Interactive)
        {
            BeginQuit(); // Ctrl+D at a terminal means "leave"
            return;
        }

        if (_client is null || _rejoin is not null)
        {
            return; // reconnecting: the held lines go first, then this runs again
        }

        // Piped input is done. The server answers in order, so its pong to this ping means every
        // line before it has been handled and its answers printed; then leave.
        SendPing().Quit = true;
    }

    private async ValueTask Sent(ValueTask send)
    {
        _sentSinceLastPing = true;
        await send;
    }

    private PendingPong SendPing()
    {
        var pending = new PendingPong(Stopwatch.GetTimestamp());
        _pings.Enqueue(pending);
        _sentSinceLastPing = false;

        // Not awaited: the UI loop hears the pong as an event, in order. The task only needs observing.
        _ = _client!.PingAsync().ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
        return pending;
    }

    /// <summary>
    /// Prints what the client says itself (help, mistakes) after the answers to everything sent before
    /// it, so a transcript reads in the order it was typed: behind a ping when requests are in flight.
    /// </summary>
    private void PrintInOrder(IReadOnlyList<ScreenLine> lines)
    {
        if (_client is not null && _sentSinceLastPing)
        {
            SendPing().Then.AddRange(lines);
        }
        else if (_pings.Count > 0)
        {
            _pings.Last().Then.AddRange(lines);
        }
        else
        {
            _screen.Print(lines);
        }
    }

    private void OnServerEvent(ServerEvent evt)
    {
        switch (evt)
        {
            case PongEvent:
                if (_pings.TryDequeue(out var ping))
                {
                    if (ping.Report)
                    {
                        Print(Tone.System, $"Pong from {_options.Host}:{_options.Port}: {Stopwatch.GetElapsedTime(ping.SentAt).TotalMilliseconds:0.0} ms round trip");
                    }

                    _screen.Print(ping.Then);
                    if (ping.Quit)
                    {
                        QuitAfterTransfers();
                    }
                }

                return;
            case WelcomeEvent e:
                _users.Clear();
                _users.UnionWith(e.Users);
                break;
            case UsersEvent e:
                _users.Clear();
                _users.UnionWith(e.Users);
                break;
            case SystemEvent { Event: "joined" } e:
                _users.Add(e.Username);
                break;
            case SystemEvent { Event: "left" } e:
                _users.Remove(e.Username);
                break;
            case RoomEvent e:
                _rooms.Apply(e);
                break;
            case FileUploadEvent or FileRefusedEvent or FileSharedEvent:
                OnFileEvent(evt);
                return;
        }

        _screen.Print(_format.Format(evt));
        if (evt is ErrorEvent { Code: ErrorCodes.UnknownCommand })
        {
            Print(Tone.System, "Commands: " + string.Join(" ", InputParser.Names) + " (/help explains them)");
        }
    }

    private void BeginQuit()
    {
        if (_client is null)
        {
            _exitCode ??= ExitCodes.Ok;
            return;
        }

        _quitting ??= _client.QuitAsync(_options.QuitTimeout);
    }

    private List<ScreenLine> HelpLines()
    {
        var width = InputParser.Commands.Max(c => c.Usage.Length);
        var lines = new List<ScreenLine> { _format.Now(Tone.System, "Commands:") };
        lines.AddRange(InputParser.Commands.Select(c => _format.Now(Tone.System, $"  {c.Usage.PadRight(width)}  {c.Description}")));
        lines.Add(_format.Now(Tone.System, "Anything else is sent to everyone. Other /commands are passed to the server."));
        if (_options.Interactive)
        {
            lines.Add(_format.Now(Tone.System, "Keys: arrows, Home/End, Up/Down for history, Tab completes commands and names, Ctrl+U/K/W delete, Ctrl+L clears."));
        }

        return lines;
    }

    // Same look as the server's errors ("error: ..."), which the formatter writes.
    private ScreenLine Error(string text) => _format.Now(Tone.Error, "error: " + text);

    private void Print(Tone tone, string text) => _screen.Print(_format.Now(tone, text));

    private PosixSignalRegistration OnSignal(PosixSignal signal) => PosixSignalRegistration.Create(signal, context =>
    {
        // Leave politely through the UI loop instead of dying mid-write.
        context.Cancel = true;
        _interrupt.Cancel();
        _queue.Writer.TryWrite(new UiInput.Interrupted());
    });

    private sealed class PendingPong(long sentAt)
    {
        public long SentAt { get; } = sentAt;

        /// <summary>Show the round trip (a /ping the user typed).</summary>
        public bool Report { get; set; }

        /// <summary>Leave once answered (the end of piped input).</summary>
        public bool Quit { get; set; }

        /// <summary>Local lines waiting for the answers to what was sent before them.</summary>
        public List<ScreenLine> Then { get; } = [];
    }
}
