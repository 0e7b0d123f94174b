using Parley.Client;
using Parley.Protocol;
using Parley.Protocol.Events;

namespace Parley.Cli.Chat;

/// <summary>The connection side of <see cref="ChatApp"/>: connecting, choosing a name, joining, and reconnecting.</summary>
internal sealed partial class ChatApp
{
    // Connects and joins; null once joined, otherwise the exit code.
    private async Task<int?> JoinAsync()
    {
        _client = await ConnectAsync(_options.ConnectTimeout);
        if (_client is null)
        {
            return ExitCodes.CannotConnect;
        }

        InputSource.Start(_options.Interactive, _queue.Writer);
        var name = _options.User;
        var retriedFresh = false;
        while (true)
        {
            name ??= await AskNameAsync();
            if (name is null)
            {
                return ExitCodes.Ok;
            }

            string problem;
            if (UsernameRules.Validate(name) is { } invalid)
            {
                problem = invalid + ".";
            }
            else
            {
                if (_client.Completion.IsCompleted)
                {
                    // The server gave up waiting while the name was being typed (login timeout): start afresh.
                    await _client.DisposeAsync();
                    if ((_client = await ConnectAsync(_options.ConnectTimeout)) is null)
                    {
                        return ExitCodes.CannotConnect;
                    }
                }

                try
                {
                    var welcome = await _client.JoinAsync(name, _interrupt.Token);
                    Joined(_client, welcome);
                    MarkReady();
                    return null;
                }
                catch (JoinRefusedException ex)
                {
                    problem = ConnectErrors.DescribeRefusal(ex, name);
                }
                catch (IOException) when (!retriedFresh)
                {
                    // The server may have closed this connection (login timeout) a moment before we
                    // noticed; one fresh connection settles whether joining really fails.
                    retriedFresh = true;
                    await _client.DisposeAsync();
                    if ((_client = await ConnectAsync(_options.ConnectTimeout)) is null)
                    {
                        return ExitCodes.CannotConnect;
                    }

                    continue;
                }
                catch (IOException ex)
                {
                    await _errors.WriteLineAsync($"parley chat: could not join {_options.Host}:{_options.Port}: {ex.Message}");
                    return ExitCodes.CannotJoin;
                }
            }

            if (!_options.InputIsTerminal)
            {
                await _errors.WriteLineAsync($"parley chat: {problem} Choose another name with --user.");
                return ExitCodes.CannotJoin;
            }

            PrintOrWarn(problem + " Please choose another name.");
            name = null;
        }
    }

    private async Task<ChatClient?> ConnectAsync(TimeSpan timeout)
    {
        try
        {
            var client = await ChatClient.ConnectAsync(_options.Host, _options.Port, ClientOptions(timeout), _interrupt.Token);
            if (client.ServerCertificateFingerprint is { } fingerprint)
            {
                // Shown every time, so a user of --insecure can compare it with the one in the server's log.
                await _errors.WriteLineAsync($"parley chat: TLS to {_options.Host}:{_options.Port}, server certificate SHA-256 fingerprint {fingerprint}");
            }

            return client;
        }
        catch (Exception ex) when (ConnectErrors.IsConnectError(ex))
        {
            await _errors.WriteLineAsync("parley chat: " + ConnectErrors.Describe(ex, _options.Host, _options.Port));
            return null;
        }
    }

    private async Task<string?> AskNameAsync()
    {
        if (_options.Interactive)
        {
            _editor.Prompt = "Your name: ";
            _screen.ShowEditor(_editor);
        }
        else if (_options.InputIsTerminal)
        {
            await _errors.WriteAsync("Your name: ");
        }

        while (true)
        {
            switch (await _queue.Reader.ReadAsync())
            {
                case UiInput.Key key:
                    switch (_editor.Handle(key.Info))
                    {
                        case EditResult.Submitted when !string.IsNullOrWhiteSpace(_editor.Text):
                            var name = _editor.Submit().Trim();
                            _screen.ShowEditor(null);
                            return name;
                        case EditResult.EndOfInput:
                            return null;
                        default:
                            _screen.RedrawEditor();
                            break;
                    }

                    break;
                case UiInput.Line line when !string.IsNullOrWhiteSpace(line.Text):
                    return line.Text.Trim();
                case UiInput.InputEnded or UiInput.Interrupted:
                    return null;
            }
        }
    }

    private void Joined(ChatClient client, WelcomeEvent welcome)
    {
        _name = welcome.Username;
        _format.OwnName = _name;
        _editor.Prompt = _name + "> ";
        _screen.ShowEditor(_editor);
        _ = Task.Run(async () =>
        {
            await foreach (var evt in client.Events.ReadAllAsync())
            {
                _queue.Writer.TryWrite(new UiInput.FromServer(client, evt));
            }

            _queue.Writer.TryWrite(new UiInput.ConnectionEnded(client, await client.Completion));
        });
    }

    private async Task OnConnectionEndedAsync(Disconnection end)
    {
        if (_quitting is not null)
        {
            _exitCode = ExitCodes.Ok;
            return;
        }

        _client = null;
        _sentSinceLastPing = false;
        MarkNotReady();
        AbandonRejoin();
        while (_pings.TryDequeue(out var ping))
        {
            _screen.Print(ping.Then);
        }

        if (!_options.Reconnect)
        {
            _screen.Close();
            await _errors.WriteLineAsync($"parley chat: disconnected: {end.Message}. Run `parley chat --reconnect` to reconnect automatically.");
            _exitCode = ExitCodes.Disconnected;
            return;
        }

        _screen.Print(Error($"disconnected: {end.Message}."));
        ScheduleReconnect();
    }

    private void ScheduleReconnect()
    {
        var delay = _backoff.Next();
        _reconnectAt = _time.GetUtcNow() + delay;
        Print(Tone.System, $"Reconnecting in {delay.TotalSeconds:0.0} s (attempt {_backoff.Attempt}; Ctrl+C to give up)...");
    }

    private ChatClientOptions ClientOptions(TimeSpan timeout) => new()
    {
        ConnectTimeout = timeout,
        Tls = _options.Tls,
        AllowUntrustedCertificate = _options.Insecure,
        PinnedFingerprint = _options.Fingerprint,
    };

    private async Task ReconnectAsync()
    {
        _reconnectAt = null;
        ChatClient? client = null;
        try
        {
            client = await ChatClient.ConnectAsync(_options.Host, _options.Port, ClientOptions(TimeSpan.FromSeconds(5)), _interrupt.Token);
            var welcome = await client.JoinAsync(_name!, _interrupt.Token);
            _client = client;
            _backoff.Reset();
            Joined(client, welcome);
            _joins++;
            Print(Tone.System, $"Reconnected to {_options.Host}:{_options.Port} as {_name}.");
        }
        catch (Exception ex) when (ConnectErrors.IsConnectError(ex) || ex is JoinRefusedException)
        {
            if (client is not null)
            {
                await client.DisposeAsync();
            }

            Print(Tone.System, ex is JoinRefusedException refused
                ? ConnectErrors.DescribeRefusal(refused, _name!) + " (The server may not have noticed the old connection yet.)"
                : $"Reconnect attempt failed: {ConnectErrors.Brief(ex)}.");
            ScheduleReconnect();
            return;
        }

        await BeginRejoinAsync();
    }

    // Before joining, a plain-output session has no transcript to put problems in, so they go to standard error.
    private void PrintOrWarn(string text)
    {
        if (_options.Interactive)
        {
            _screen.Print(Error(text));
        }
        else
        {
            _errors.WriteLine(text);
        }
    }
}
