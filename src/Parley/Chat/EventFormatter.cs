using System.Globalization;
using System.Text.Json;
using Parley.Client;
using Parley.Protocol;
using Parley.Protocol.Events;

namespace Parley.Cli.Chat;

/// <summary>
/// How each server message looks on screen: <c>[HH:MM:SS]</c> in local time first, then the text,
/// toned by kind (own messages, others', private both ways, system, server, errors). Everything that
/// came from the server is escaped here, in one place, before it can reach the terminal.
/// </summary>
internal sealed class EventFormatter(TimeProvider time)
{
    /// <summary>Our own name, so our messages can be told apart from everyone else's.</summary>
    public string? OwnName { get; set; }

    public IReadOnlyList<ScreenLine> Format(ServerEvent evt) => evt switch
    {
        // Replayed history and search results are greyed and dated: they may be old.
        ChatEvent { History: true } e => [ScreenLine.Of(Tone.History, LongStamp(e.Timestamp) + TerminalText.Escape($"{e.Room} {e.Username}: {e.Content}"))],
        ChatEvent e => [Message(e.Timestamp, IsOwn(e.Username) ? Tone.Own : Tone.Other, $"{RoomPrefix(e.Room)}{e.Username}: ", e.Content, e.Color)],
        PrivateMessageEvent e => [Message(e.Timestamp, Tone.PrivateReceived, $"[PM] {e.Sender}: ", e.Content, e.Color, e.Offline ? " (sent while you were away)" : "")],
        PrivateConfirmationEvent e => [Message(e.Timestamp, Tone.PrivateSent, $"[PM to {e.Target}] ", e.Content, e.Color, e.Later ? " (delivered later)" : e.Delivered ? "" : " (not delivered)")],
        SystemEvent e => [Line(e.Timestamp, Tone.System, "*** " + RoomPrefix(e.Room) + e.Message)],
        InfoEvent e => [Now(Tone.System, "*** " + e.Message)],
        RoomEvent e => RoomChange(e),
        RoomsEvent e => [Now(Tone.System, "Rooms:"), .. e.Rooms.Select(r => Now(Tone.System, $"  {r.Name} ({r.Members}{(r.IsPrivate ? ", private" : "")}){(r.Topic is null ? "" : " " + r.Topic)}"))],
        HistoryEndEvent e => [Now(Tone.History, $"*** End of history of {e.Room} ({e.Count} messages{(e.More ? "; /history N for more" : "")})")],
        SearchEndEvent e => [Now(Tone.History, $"*** {e.Count} {(e.Count == 1 ? "result" : "results")} for \"{e.Query}\"")],
        ServerNoticeEvent e => [Line(e.Timestamp, Tone.Server, "[SERVER] " + e.Message)],
        WelcomeEvent e => Welcome(e),
        UsersEvent { Room: null, Page: null } e => [Now(Tone.System, UserListText.Online(e.Users, null))],
        UsersEvent e => [Now(Tone.System, UserListText.Answer(e))],
        PresenceEvent e => [Line(e.Timestamp, Tone.System, "*** " + RoomPrefix(e.Room) + e.Message)],
        ErrorEvent e => [Now(Tone.Error, "error: " + e.Message)],
        HelpEvent e => [Now(Tone.System, "Server commands:"), .. e.Commands.Select(c => Now(Tone.System, $"  {c.Usage} - {c.Description}"))],
        GoodbyeEvent e => [Now(Tone.System, "*** " + e.Message)],
        PromptEvent e => [Now(Tone.System, "*** " + e.Message)],
        FileSharedEvent e => [File(e)],
        FileRefusedEvent e => [Now(Tone.Error, "error: not sent: " + e.Message)],
        UnknownEvent e => [Now(Tone.System, Unknown(e))],
        _ => [],
    };

    /// <summary>A line this client says itself (help, round-trip times, connection news), stamped now.</summary>
    public ScreenLine Now(Tone tone, string text) => Line(time.GetUtcNow(), tone, text);


    /// <summary>Set by the app: the short number /accept takes for a file id.</summary>
    public Func<string, int>? FileNumber { get; set; }

    private ScreenLine File(FileSharedEvent e)
    {
        var what = $"{e.Name} ({Parley.Protocol.ByteSize.Format(e.Size)})";
        var number = FileNumber?.Invoke(e.Id);
        var hint = IsOwn(e.Sender) || number is null or 0 ? "" : $" - /accept {number} to save it";
        return e.Target is null
            ? Line(e.Timestamp, Tone.System, $"*** {RoomPrefix(e.Room)}{e.Sender} shared {what}{hint}")
            : IsOwn(e.Sender)
                ? Line(e.Timestamp, Tone.PrivateSent, $"[PM to {e.Target}] sent {what}")
                : Line(e.Timestamp, Tone.PrivateReceived, $"[PM] {e.Sender} sent you {what}{hint}");
    }

    private bool IsOwn(string name) => string.Equals(name, OwnName, StringComparison.OrdinalIgnoreCase);

    private IReadOnlyList<ScreenLine> Welcome(WelcomeEvent e)
    {
        var lines = new List<ScreenLine> { Now(Tone.System, $"*** Welcome to Parley, {e.Username}! Type /help for commands.") };
        if (!string.IsNullOrEmpty(e.Motd))
        {
            lines.Add(Now(Tone.System, "*** " + e.Motd));
        }

        lines.Add(Now(Tone.System, "*** " + UserListText.Online(e.Users, e.UserCount)));
        return lines;
    }

    private ScreenLine Line(DateTimeOffset at, Tone tone, string text) => ScreenLine.Of(tone, Stamp(at) + TerminalText.Escape(text));

    private ScreenLine Message(DateTimeOffset at, Tone tone, string head, string content, string? color, string tail = "")
    {
        var pieces = new List<ScreenLine.Piece>
        {
            new(Stamp(at) + TerminalText.Escape(head), tone),
            new(TerminalText.Escape(content), Palette.ForMessageColor(color) ?? tone),
        };
        if (tail.Length > 0)
        {
            pieces.Add(new(tail, tone));
        }

        return new ScreenLine(pieces);
    }

    private IReadOnlyList<ScreenLine> RoomChange(RoomEvent e)
    {
        var lines = new List<ScreenLine> { Now(Tone.System, "*** " + e.Message) };
        if (!string.IsNullOrEmpty(e.Topic))
        {
            lines.Add(Now(Tone.System, $"*** Topic of {e.Room}: {e.Topic}"));
        }

        lines.Add(Now(Tone.System, UserListText.InRoom(e.Room, e.Users, e.UserCount)));
        return lines;
    }

    private static string RoomPrefix(string? room) =>
        room is null || string.Equals(room, TextEventWriter.GeneralRoom, StringComparison.OrdinalIgnoreCase) ? "" : room + " ";

    private string LongStamp(DateTimeOffset at) =>
        "[" + TimeZoneInfo.ConvertTime(at, time.LocalTimeZone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + "] ";

    private string Stamp(DateTimeOffset at) =>
        "[" + TimeZoneInfo.ConvertTime(at, time.LocalTimeZone).ToString("HH:mm:ss", CultureInfo.InvariantCulture) + "] ";

    // A newer server may send types this client does not know; most will carry a readable "message".
    private static string Unknown(UnknownEvent e)
    {
        try
        {
            using var doc = JsonDocument.Parse(e.Json);
            if (doc.RootElement.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String)
            {
                return "*** " + message.GetString();
            }
        }
        catch (JsonException)
        {
        }

        return $"*** (the server sent a '{e.Type}' message, which this client does not know)";
    }
}
