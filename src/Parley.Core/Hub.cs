using System.Buffers;
using System.Net;
using Microsoft.Extensions.Logging;
using Parley.Protocol;
using Parley.Protocol.Events;

namespace Parley.Core;

/// <summary>
/// The chat itself: who is connected, under which name, and what each request does. Transports
/// feed it decoded lines or requests and drain each session's queue; the hub never touches a
/// socket and never waits on one. One lock guards membership and orders broadcasts, so everyone
/// sees public messages in the same order as chat.log; only non-blocking enqueues happen under it.
/// Messages reach the store before anyone sees them (see <see cref="MessageWriter"/>); rooms, history,
/// search and accounts live in Hub.Rooms.cs and Hub.Accounts.cs.
/// </summary>
public sealed partial class Hub
{
    private readonly Lock _gate = new();
    private readonly HashSet<Session> _sessions = [];
    private readonly Dictionary<string, Session> _byName = new(UsernameRules.Comparer);
    private readonly Dictionary<string, Session> _pending = new(UsernameRules.Comparer);
    private readonly IChatLog _chatLog;
    private readonly ILogger _logger;
    private readonly IMessageStore _store;
    private readonly MessageWriter? _writer;
    private readonly ITimer? _cleanupTimer;
    private readonly TaskCompletionSource _allClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _stopping;
    private long _messagesTotal;
    private readonly FloodGuard _flood;

    public Hub(HubOptions options, TimeProvider time, IChatLog chatLog, ILogger<Hub> logger, IMessageStore? store = null)
    {
        Options = options;
        Time = time;
        _chatLog = chatLog;
        _logger = logger;
        StartedAt = time.GetUtcNow();
        Commands = ChatCommands.CreateTable();
        Flow = new FlowControl(time, options.StallGrace);
        _flood = new FloodGuard(this);
        _store = store ?? new MemoryMessageStore();
        _throttle = new LoginThrottle(time);
        LoadState();
        if (!_store.IsInMemory)
        {
            _writer = new MessageWriter(_store, time, logger, Flow, options.StoreBacklog, options.SendQueueBytes / 8, Deliver);
            _reads = new ReadWorkers(Math.Max(1, options.QueryThreads), logger);
        }

        if (options.HistoryDays > 0 || options.HistoryMax > 0)
        {
            _cleanupTimer = time.CreateTimer(static state => ((Hub)state!).RunCleanup(), this, TimeSpan.Zero, options.CleanupInterval);
        }
    }

    public HubOptions Options { get; }

    public TimeProvider Time { get; }

    public CommandTable Commands { get; }

    /// <summary>Transports await this before processing each input line.</summary>
    public FlowControl Flow { get; }

    public DateTimeOffset StartedAt { get; }

    /// <summary>File sharing, when the host provides it (it needs the web port for the bytes); null answers offers with files_disabled.</summary>
    public FileTransfers? Files { get; set; }

    /// <summary>Public and private messages accepted since start.</summary>
    public long MessagesTotal => Interlocked.Read(ref _messagesTotal);

    public int ConnectionCount
    {
        get
        {
            lock (_gate)
            {
                return _sessions.Count;
            }
        }
    }

    /// <summary>Joined usernames, sorted. A copy: prefer <see cref="UserCount"/> for the number.</summary>
    public IReadOnlyList<string> Usernames
    {
        get
        {
            lock (_gate)
            {
                return _general.Members.Names();
            }
        }
    }

    /// <summary>How many users have joined (everyone is in #general).</summary>
    public int UserCount
    {
        get
        {
            lock (_gate)
            {
                return _general.Members.Count;
            }
        }
    }

    public IReadOnlyList<SessionInfo> Sessions
    {
        get
        {
            lock (_gate)
            {
                return [.. _sessions.Select(s => s.ToInfo()).OrderBy(s => s.Id)];
            }
        }
    }

    /// <summary>Join requests waiting for an operator (only with <see cref="HubOptions.ApproveJoins"/>), oldest first.</summary>
    public IReadOnlyList<SessionInfo> PendingJoins
    {
        get
        {
            lock (_gate)
            {
                return [.. _pending.Values.Select(s => s.ToInfo()).OrderBy(s => s.Id)];
            }
        }
    }

    /// <summary>
    /// Registers a new connection. Always returns a session for the transport to run; when the server
    /// is full or stopping, that session already holds its refusal and is closed.
    /// </summary>
    public Session Connect(string transport, string remoteAddress, ProtocolKind protocol = ProtocolKind.Text) =>
        Connect(transport, (object)remoteAddress, protocol);

    /// <summary>A session whose address is formatted from <paramref name="remote"/> only when asked for; "unknown" when null.</summary>
    public Session Connect(string transport, EndPoint? remote, ProtocolKind protocol = ProtocolKind.Text) =>
        Connect(transport, remote ?? (object)"unknown", protocol);

    private Session Connect(string transport, object remote, ProtocolKind protocol)
    {
        var session = new Session(transport, remote, Time.GetUtcNow(), Options.SendQueueFrames, Options.SendQueueBytes, Flow, Time, Options.SendQueueHighWater)
        {
            Protocol = protocol,
        };
        string? refusal = null;
        lock (_gate)
        {
            if (_stopping)
            {
                refusal = "Server is shutting down";
            }
            else if (_sessions.Count >= Options.MaxClients)
            {
                refusal = $"server full ({Options.MaxClients} clients), try again later";
            }
            else
            {
                _sessions.Add(session);
            }
        }

        if (refusal is not null)
        {
            _logger.LogWarning("Refused {Remote} over {Transport}: {Reason}", session.RemoteAddress, transport, refusal);
            session.Send(Frame(new ErrorEvent(ErrorCodes.ServerFull, refusal)));
            session.Close(refusal);
            return session;
        }

        session.LoginTimer = Time.CreateTimer(static state => ((LoginTimeoutState)state!).Fire(), new LoginTimeoutState(this, session), Options.LoginTimeout, Timeout.InfiniteTimeSpan);
        _logger.LogInformation("Connection #{Id} from {Remote} over {Transport}", session.Id, session.RemoteAddress, transport);
        return session;
    }

    /// <summary>Asks a person at a text terminal for a name (sent when the client stays silent after connecting).</summary>
    public void Greet(Session session)
    {
        if (session.State == SessionState.Connecting)
        {
            session.Send(Frame(new PromptEvent("Welcome to Parley! Please enter a username:")));
        }
    }

    /// <summary>One decoded line from a text-mode client.</summary>
    public void HandleLine(Session session, string line)
    {
        // Input still buffered behind a /quit, a kick or a timeout must not act for the user.
        if (session.IsClosed || session.Quitting)
        {
            return;
        }

        switch (session.State)
        {
            case SessionState.Closing:
                return;
            case SessionState.Connecting when session.PasswordFor is { } name:
                TryJoin(session, name, password: line);
                return;
            case SessionState.Connecting:
                // At the name prompt a person may still just want to leave.
                if (TextCommand.TryParse(line.Trim(), out var early) && Commands.TryGet(early.Name, out var command) && command.Name == "quit")
                {
                    Quit(session);
                    return;
                }

                TryJoin(session, line.Trim(), password: null);
                return;
        }

        if (TextSanitizer.IsBlank(line))
        {
            return;
        }

        RunLine(session, line);
    }

    /// <summary>One parsed request from a JSON-lines or WebSocket client.</summary>
    public void HandleRequest(Session session, ClientRequest request)
    {
        if (session.State == SessionState.Closing || session.IsClosed || session.Quitting)
        {
            return;
        }

        switch (request.Type)
        {
            case "join":
                if (session.State == SessionState.Joined)
                {
                    SendError(session, ErrorCodes.AlreadyJoined, $"Already joined as {session.Username}");
                }
                else if (session.State == SessionState.Pending)
                {
                    SendError(session, ErrorCodes.AwaitingApproval, $"Already waiting for approval as {session.Username}");
                }
                else if (request.Username is null)
                {
                    SendError(session, ErrorCodes.MissingField, "Field 'username' is required");
                }
                else
                {
                    TryJoin(session, request.Username, request.Password);
                }

                return;
            case "message":
                Dispatch(session, "say", request.Color, request, ("content", request.Content));
                return;
            case "join_room":
                Dispatch(session, "join", null, request, ("room", request.Room));
                return;
            case "part_room":
                Dispatch(session, "part", null, request);
                return;
            case "rooms" or "history":
                Dispatch(session, request.Type, null, request);
                return;
            case "search":
                Dispatch(session, "search", null, request, ("query", request.Query));
                return;
            case "private_message":
                Dispatch(session, "msg", request.Color, ("target", request.Target), ("content", request.Content));
                return;
            case "who" or "users":
                Dispatch(session, "who", null, request);
                return;
            case "ping" or "help" or "quit":
                Dispatch(session, request.Type, null);
                return;
            case "file_offer":
                Dispatch(session, "file_offer", null, request, ("name", request.Name), ("size", request.Size?.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("sha256", request.Sha256 ?? ""), ("target", request.Target ?? ""));
                return;
            case "command":
                if (string.IsNullOrWhiteSpace(request.Line))
                {
                    SendError(session, ErrorCodes.MissingField, "Field 'line' is required");
                }
                else if (RequireJoined(session))
                {
                    RunLine(session, request.Line);
                }

                return;
            default:
                SendError(session, ErrorCodes.UnknownType, $"Unknown message type '{TextSanitizer.Clean(request.Type)}'");
                return;
        }
    }

    /// <summary>One JSON-lines request as the transport received it: parsed here, answered with an error when it does not parse.</summary>
    public void HandleJson(Session session, in ReadOnlySequence<byte> line) =>
        Answer(session, JsonRequestParser.TryParse(line, out var request, out var error), request, error);

    /// <inheritdoc cref="HandleJson(Session, in ReadOnlySequence{byte})"/>
    public void HandleJson(Session session, ReadOnlySpan<byte> line) =>
        Answer(session, JsonRequestParser.TryParse(line, out var request, out var error), request, error);

    private void Answer(Session session, bool parsed, ClientRequest request, ProtocolError? error)
    {
        if (parsed)
        {
            HandleRequest(session, request);
        }
        else
        {
            HandleProtocolError(session, error!);
        }
    }

    /// <summary>Input the transport could not decode (over-long line, bad UTF-8, bad JSON): answer it, keep the session.</summary>
    public void HandleProtocolError(Session session, ProtocolError error)
    {
        _logger.LogDebug("Session #{Id}: {Code} {Message}", session.Id, error.Code, error.Message);
        session.Send(Frame(ErrorEvent.From(error)));
    }

    /// <summary>The transport's connection has ended, for whatever reason.</summary>
    public void Disconnected(Session session)
    {
        session.LoginTimer?.Dispose();
        session.ReleasePressure();
        bool wasMember;
        bool stopping;
        lock (_gate)
        {
            wasMember = session.State == SessionState.Joined && _byName.Remove(session.Username!);
            if (session.State == SessionState.Pending && _pending.GetValueOrDefault(session.Username!) == session)
            {
                _pending.Remove(session.Username!);
            }

            if (wasMember)
            {
                LeaveAllRoomsLocked(session);
            }

            session.State = SessionState.Closing;
            _sessions.Remove(session);
            stopping = _stopping;
            if (stopping && _sessions.Count == 0)
            {
                _allClosed.TrySetResult();
            }

            if (wasMember)
            {
                var reason = session.CloseReason;
                var message = reason is null or "quit" or "connection closed"
                    ? $"{session.Username} left the chat"
                    : $"{session.Username} left the chat ({reason})";
                // Behind the user's last messages, which may still be on their way through the store.
                AfterAccepted(session, () =>
                {
                    var now = Time.GetUtcNow();
                    _chatLog.Write(now, "*** " + message);
                    if (!stopping)
                    {
                        AnnouncePresenceLocked(_general, new SystemEvent("left", session.Username!, message, now));
                    }
                });
            }
        }

        session.Close("connection closed");
        _logger.LogInformation("Connection #{Id} ({User}) closed: {Reason}", session.Id, session.Username ?? "no name", session.CloseReason);
    }

    /// <summary>A server announcement to everyone (JSON type <c>server</c>).</summary>
    public void Announce(string message)
    {
        var now = Time.GetUtcNow();
        message = TextSanitizer.Clean(message);
        lock (_gate)
        {
            _chatLog.Write(now, "[SERVER] " + message);
            SendToMembers(Frame(new ServerNoticeEvent(message, now)));
        }
    }

    /// <summary>Disconnects a joined user, telling them why. False if no such user is online.</summary>
    public bool Kick(string username, string reason)
    {
        var target = Find(username);
        if (target is null)
        {
            return false;
        }

        reason = TextSanitizer.Clean(reason);
        target.Send(Frame(new GoodbyeEvent($"You have been kicked: {reason}", "kicked")));
        target.Close($"kicked: {reason}");
        _logger.LogWarning("Kicked {User}: {Reason}", target.Username, reason);
        return true;
    }

    /// <summary>Lets a waiting join request in: it joins as if approval were off. False if no such request waits.</summary>
    public bool Approve(string username)
    {
        Session? session;
        lock (_gate)
        {
            if (!_pending.Remove(username, out session))
            {
                return false;
            }

            if (session.IsClosed)
            {
                // It is leaving anyway; Disconnected will find nothing left to undo.
                return false;
            }

            AdmitLocked(session, session.Username!, Time.GetUtcNow());
        }

        DeliverOffline(session);

        _logger.LogInformation("Connection #{Id} joined as {User} (approved)", session.Id, session.Username);
        return true;
    }

    /// <summary>Turns a waiting join request away, telling the client why, and closes it. False if no such request waits.</summary>
    public bool Reject(string username, string reason)
    {
        Session? session;
        lock (_gate)
        {
            if (!_pending.Remove(username, out session))
            {
                return false;
            }
        }

        reason = TextSanitizer.Clean(reason);
        var message = string.IsNullOrWhiteSpace(reason) ? "Your request to join was rejected" : $"Your request to join was rejected: {reason}";
        SendError(session, ErrorCodes.JoinRejected, message);
        session.Close(string.IsNullOrWhiteSpace(reason) ? "join rejected" : $"join rejected: {reason}");
        _logger.LogWarning("Rejected join request from {User} ({Remote}): {Reason}", session.Username, session.RemoteAddress, reason);
        return true;
    }

    /// <summary>
    /// Graceful stop: every client is told, every queue drains and closes, then chat.log is flushed.
    /// Sessions still open after <paramref name="grace"/> are aborted.
    /// </summary>
    public async Task ShutdownAsync(TimeSpan grace)
    {
        Session[] all;
        var now = Time.GetUtcNow();
        lock (_gate)
        {
            if (_stopping)
            {
                return;
            }

            _stopping = true;
            all = [.. _sessions];
            if (all.Length == 0)
            {
                _allClosed.TrySetResult();
            }

            _chatLog.Write(now, "[SERVER] Server is shutting down");
        }

        // Everything already accepted is stored and delivered before the goodbye.
        _cleanupTimer?.Dispose();
        if (_writer is not null)
        {
            await _writer.CompleteAsync().ConfigureAwait(false);
        }

        _logger.LogInformation("Shutting down: closing {Count} connections", all.Length);
        var notice = Frame(new ServerNoticeEvent("Server is shutting down", now));
        foreach (var session in all)
        {
            session.Send(notice);
            session.Close("server shutting down");
        }

        var graceStarted = Time.GetTimestamp();
        try
        {
            await _allClosed.Task.WaitAsync(grace, Time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            foreach (var session in all)
            {
                session.Abort("server shutting down");
            }
        }

        if (_reads is not null)
        {
            try
            {
                // A query still running holds a connection to the store, which the host disposes next. Within the
                // same grace: a stop must stay as quick as operations.md says.
                var left = grace - Time.GetElapsedTime(graceStarted);
                await _reads.Idle.WaitAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero, Time).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                _logger.LogWarning("Shutting down with a history or search query still running");
            }
        }

        await _chatLog.FlushAsync().ConfigureAwait(false);
    }

    internal OutboundFrame Frame(ServerEvent evt) => new(evt, Time.LocalTimeZone);

    internal Session? Find(string username)
    {
        lock (_gate)
        {
            return _byName.GetValueOrDefault(username);
        }
    }

    internal void SendError(Session session, string code, string message)
    {
        var frame = Frame(new ErrorEvent(code, message));
        if (MustWait(session))
        {
            Defer(session, () => session.Send(frame));
            return;
        }

        session.Send(frame);
    }

    internal void Broadcast(Session sender, Room room, string content, string? color) =>
        Submit(new OutgoingMessage(sender, content, color) { Room = room });

    internal void SendPrivate(Session sender, Session target, string content, string? color) =>
        Submit(new OutgoingMessage(sender, content, color) { Target = target });

    /// <summary>A private message to a registered user who is offline: stored, delivered at their next login.</summary>
    internal void SendOffline(Session sender, string target, string content, string? color) =>
        Submit(new OutgoingMessage(sender, content, color) { OfflineTarget = target });

    /// <summary>
    /// Announces a stored file: to the sender's current room when <paramref name="target"/> is null,
    /// otherwise to the two parties only.
    /// </summary>
    internal void ShareFile(Session sender, Session? target, FileSharedEvent evt)
    {
        sender.CountMessage();
        Interlocked.Increment(ref _messagesTotal);
        var line = $"{evt.Name} ({ByteSize.Format(evt.Size)}, sha256 {evt.Sha256})";
        if (target is not null)
        {
            var frame = Frame(evt);
            target.Send(frame);
            sender.Send(frame);
            if (Options.LogPrivate)
            {
                _chatLog.Write(evt.Timestamp, $"[PM] {sender.Username} -> {target.Username}: sent file {line}");
            }

            return;
        }

        lock (_gate)
        {
            // Stamped under the lock like a message, so the announcement takes its place in the order;
            // it goes to the room it was offered in only (a file shared in a private room stays there).
            var room = evt.Room is { } name && _rooms.GetValueOrDefault(name) is { } offeredIn ? offeredIn : CurrentRoom(sender);
            var now = Time.GetUtcNow();
            _chatLog.Write(now, room.IsGeneral ? $"*** {sender.Username} shared {line}" : $"{room.Name} *** {sender.Username} shared {line}");
            var frame = Frame(evt with { Timestamp = now, Room = room.Name });
            foreach (var member in room.Members.Sessions)
            {
                member.Send(frame);
            }
        }
    }

    /// <summary>Ends a session for cause, telling the client why first.</summary>
    internal void Disconnect(Session session, string message, string reason)
    {
        session.Send(Frame(new GoodbyeEvent(message)));
        session.Close(reason);
        _logger.LogWarning("Disconnected {Session}: {Reason}", session, reason);
    }

    internal void Quit(Session session)
    {
        // Input after /quit is ignored at once; the goodbye waits for the user's own messages to come back.
        session.Quitting = true;
        AfterAccepted(session, () =>
        {
            session.Send(Frame(new GoodbyeEvent(session.Username is null ? "Goodbye!" : $"Goodbye, {session.Username}!", "quit")));
            session.Close("quit");
        });
    }

    private void SendToMembers(OutboundFrame frame)
    {
        foreach (var member in _general.Members.Sessions)
        {
            member.Send(frame);
        }
    }

    private void TryJoin(Session session, string username, string? password)
    {
        session.PasswordFor = null;
        if (UsernameRules.Validate(username) is { } invalid)
        {
            SendError(session, ErrorCodes.InvalidUsername, invalid + ". Please enter another username:");
            return;
        }

        if (!Authenticate(session, username, password, out var account))
        {
            return;
        }

        var now = Time.GetUtcNow();
        lock (_gate)
        {
            if (session.State != SessionState.Connecting || session.IsClosed)
            {
                return;
            }

            session.Account = account;

            if (_byName.ContainsKey(username) || _pending.ContainsKey(username))
            {
                SendError(session, ErrorCodes.UsernameTaken, $"Username '{username}' is already taken. Please enter another username:");
                return;
            }

            if (Options.ApproveJoins)
            {
                // The name is reserved while the operator decides, so nobody can take it meanwhile.
                session.Username = username;
                session.State = SessionState.Pending;
                _pending.Add(username, session);
                session.Send(Frame(new JoinPendingEvent(username, $"Waiting for an operator to let you in as {username}...")));
            }
            else
            {
                AdmitLocked(session, username, now);
            }
        }

        // Dropped, not just stopped: an idle member should not keep its spent timer for the rest of the session.
        session.LoginTimer?.Dispose();
        session.LoginTimer = null;
        if (session.State == SessionState.Joined)
        {
            DeliverOffline(session);
        }

        if (Options.ApproveJoins)
        {
            _logger.LogInformation("Connection #{Id} from {Remote} asks to join as {User}: waiting for approval", session.Id, session.RemoteAddress, username);
        }
        else
        {
            _logger.LogInformation("Connection #{Id} joined as {User}", session.Id, username);
        }
    }

    // Makes a session a member; the caller holds _gate and has checked that the name is free.
    private void AdmitLocked(Session session, string username, DateTimeOffset now)
    {
        if (Options.RateLimit > 0)
        {
            session.RateLimiter = new TokenBucket(Time, Options.RateLimit, Options.RateLimit * 2);
        }

        session.Username = username;
        session.State = SessionState.Joined;
        _byName.Add(username, session);
        var message = $"{username} joined the chat";
        _chatLog.Write(now, "*** " + message);
        AnnouncePresenceLocked(_general, new SystemEvent("joined", username, message, now));
        _general.Members.Add(session);
        session.AddRoom(_general);
        session.CurrentRoom = _general;

        // Inside the lock, so the welcome is the first thing the new member sees, and its history before any live message.
        var (users, count) = FirstPageLocked(_general);
        session.Send(Frame(new WelcomeEvent(username, users, Options.Motd) { Room = _general.Name, Registered = session.Account is not null, UserCount = count }));
        ReplayLocked(session, _general);
    }

    private void RunLine(Session session, string line)
    {
        if (line.StartsWith("//", StringComparison.Ordinal))
        {
            // "//text" sends "/text" as an ordinary message.
            Dispatch(session, "say", null, ("content", line[1..]));
            return;
        }

        if (!TextCommand.TryParse(line, out var command))
        {
            Dispatch(session, "say", null, ("content", line));
            return;
        }

        if (!Commands.TryGet(command.Name, out var definition) || definition.Hidden)
        {
            SendError(session, ErrorCodes.UnknownCommand, $"Unknown command '/{TextSanitizer.Clean(command.Name)}'. Type /help for the list.");
            return;
        }

        Run(session, definition, TextCommand.SplitArguments(command.Rest, definition.MaxArgs), null);
    }

    private void Dispatch(Session session, string name, string? color, params (string Field, string? Value)[] fields) =>
        Dispatch(session, name, color, null, fields);

    private void Dispatch(Session session, string name, string? color, ClientRequest? request, params (string Field, string? Value)[] fields)
    {
        var args = new string[fields.Length];
        for (var i = 0; i < fields.Length; i++)
        {
            if (fields[i].Value is not { } value)
            {
                SendError(session, ErrorCodes.MissingField, $"Field '{fields[i].Field}' is required");
                return;
            }

            args[i] = value;
        }

        if (color is not null && ChatColors.Normalize(color) is null)
        {
            SendError(session, ErrorCodes.InvalidColor, $"Unknown colour '{TextSanitizer.Clean(color)}'; use one of {string.Join(", ", ChatColors.All)}");
            return;
        }

        Run(session, Commands[name], args, ChatColors.Normalize(color), request);
    }

    // The shared checks every command gets, in one place.
    private void Run(Session session, CommandDefinition command, string[] args, string? color, ClientRequest? request = null)
    {
        if (command.RequiresJoin && !RequireJoined(session))
        {
            return;
        }

        if (args.Length < command.MinArgs)
        {
            SendError(session, ErrorCodes.Usage, $"Usage: {command.Usage}");
            return;
        }

        if (!command.Unmetered && !TakeRateToken(session))
        {
            return;
        }

        var context = new CommandContext(this, session, args, color) { Request = request };
        if (command.Reads)
        {
            RunRead(session, () => command.Handler(context));
            return;
        }

        if (!command.Stored && !command.Immediate && MustWait(session))
        {
            Defer(session, () => command.Handler(context));
            return;
        }

        command.Handler(context);
    }

    private bool RequireJoined(Session session)
    {
        if (session.State == SessionState.Joined)
        {
            return true;
        }

        if (session.State == SessionState.Pending)
        {
            SendError(session, ErrorCodes.AwaitingApproval, "Your request to join is waiting for an operator's approval");
            return false;
        }

        SendError(session, ErrorCodes.NotJoined, "Join first: send {\"type\":\"join\",\"username\":\"NAME\"}");
        return false;
    }

    // Escalating penalties and the per-address rate live in FloodGuard.
    private bool TakeRateToken(Session session) => _flood.Allow(session);

    private void LoginTimedOut(Session session)
    {
        lock (_gate)
        {
            if (session.State != SessionState.Connecting)
            {
                return;
            }

            // Under the lock, so a join racing the timer either wins or finds the session closed.
            SendError(session, ErrorCodes.LoginTimeout, $"No username received within {Options.LoginTimeout.TotalSeconds:0} seconds; closing the connection");
            session.Close("login timeout");
        }
    }

    private sealed class LoginTimeoutState(Hub hub, Session session)
    {
        public void Fire() => hub.LoginTimedOut(session);
    }
}
