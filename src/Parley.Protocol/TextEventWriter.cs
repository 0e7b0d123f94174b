using System.Buffers;
using System.Globalization;
using System.Text;
using Parley.Protocol.Events;

namespace Parley.Protocol;

/// <summary>
/// Writes server events as human-readable lines for netcat/telnet users, in the format the seeds
/// used: <c>[HH:MM:SS] alice: text</c>, server local time.
/// </summary>
public static class TextEventWriter
{
    public static byte[] Encode(ServerEvent evt, TimeZoneInfo zone) => Encoding.UTF8.GetBytes(Format(evt, zone));

    public static void Write(ServerEvent evt, TimeZoneInfo zone, IBufferWriter<byte> output)
    {
        var text = Format(evt, zone);
        var span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        var written = Encoding.UTF8.GetBytes(text, span);
        output.Advance(written);
    }

    /// <summary>The event as one or more text lines, each ending in <c>\n</c>.</summary>
    public static string Format(ServerEvent evt, TimeZoneInfo zone) => evt switch
    {
        // History lines carry the date (they may be old) and always the room, so they never pass for live ones.
        ChatEvent { History: true } e => $"{LongStamp(e.Timestamp, zone)} {e.Room ?? GeneralRoom} {e.Username}: {e.Content}\n",
        ChatEvent e => $"{Stamp(e.Timestamp, zone)} {RoomPrefix(e.Room)}{e.Username}: {e.Content}\n",
        PrivateMessageEvent { Offline: true } e => $"{LongStamp(e.Timestamp, zone)} [PM] {e.Sender}: {e.Content}\n",
        PrivateMessageEvent e => $"{Stamp(e.Timestamp, zone)} [PM] {e.Sender}: {e.Content}\n",
        PrivateConfirmationEvent { Later: true } e => $"{Stamp(e.Timestamp, zone)} [PM to {e.Target}] {e.Content} (delivered later)\n",
        PrivateConfirmationEvent e => $"{Stamp(e.Timestamp, zone)} [PM to {e.Target}] {e.Content}\n",
        SystemEvent e => $"{Stamp(e.Timestamp, zone)} {RoomPrefix(e.Room)}*** {e.Message}\n",
        ServerNoticeEvent e => $"{Stamp(e.Timestamp, zone)} [SERVER] {e.Message}\n",
        WelcomeEvent e => FormatWelcome(e),
        UsersEvent e => UserListText.Answer(e) + "\n",
        PresenceEvent e => $"{Stamp(e.Timestamp, zone)} {RoomPrefix(e.Room)}*** {e.Message}\n",
        PongEvent => "PONG\n",
        ErrorEvent e => $"ERROR {e.Message}\n",
        HelpEvent e => FormatHelp(e),
        GoodbyeEvent e => $"{e.Message}\n",
        PromptEvent e => $"{e.Message}\n",
        JoinPendingEvent e => $"*** {e.Message}\n",
        FileSharedEvent e => FormatFile(e, zone),
        FileUploadEvent { Complete: true } e => $"*** {e.Name} ({ByteSize.Format(e.Size)}) is on the server already: shared without uploading\n",
        FileUploadEvent e => $"*** Upload {e.Name} ({ByteSize.Format(e.Size)}) to {e.UploadUrl}\n",
        FileRefusedEvent e => $"ERROR {e.Message}\n",
        InfoEvent e => $"*** {e.Message}\n",
        RoomEvent e => FormatRoom(e),
        RoomsEvent e => FormatRooms(e),
        HistoryEndEvent e => e.More
            ? $"*** End of history of {e.Room} ({e.Count} messages; /history N for more)\n"
            : $"*** End of history of {e.Room} ({e.Count} messages)\n",
        SearchEndEvent e => $"*** {e.Count} {(e.Count == 1 ? "result" : "results")} for \"{e.Query}\"\n",
        _ => throw new ArgumentException($"No text form for {evt.GetType().Name}", nameof(evt)),
    };

    /// <summary>The room everyone starts in; its lines keep the seed format, without a room prefix.</summary>
    public const string GeneralRoom = "#general";

    private static string RoomPrefix(string? room) =>
        room is null || string.Equals(room, GeneralRoom, StringComparison.OrdinalIgnoreCase) ? string.Empty : room + " ";

    private static string LongStamp(DateTimeOffset timestamp, TimeZoneInfo zone) =>
        "[" + TimeZoneInfo.ConvertTime(timestamp, zone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + "]";

    private static string FormatRoom(RoomEvent e)
    {
        var sb = new StringBuilder("*** ").Append(e.Message).Append('\n');
        if (!string.IsNullOrEmpty(e.Topic))
        {
            sb.Append("*** Topic of ").Append(e.Room).Append(": ").Append(e.Topic).Append('\n');
        }

        return sb.Append(UserListText.InRoom(e.Room, e.Users, e.UserCount)).Append('\n').ToString();
    }

    private static string FormatRooms(RoomsEvent e)
    {
        var sb = new StringBuilder("Rooms:\n");
        foreach (var room in e.Rooms)
        {
            sb.Append("  ").Append(room.Name).Append(" (").Append(room.Members).Append(room.Members == 1 ? " member" : " members");
            sb.Append(room.IsPrivate ? ", private)" : ")");
            if (!string.IsNullOrEmpty(room.Topic))
            {
                sb.Append(' ').Append(room.Topic);
            }

            sb.Append('\n');
        }

        return sb.ToString();
    }

    private static string Stamp(DateTimeOffset timestamp, TimeZoneInfo zone) =>
        "[" + TimeZoneInfo.ConvertTime(timestamp, zone).ToString("HH:mm:ss", CultureInfo.InvariantCulture) + "]";

    private static string FormatFile(FileSharedEvent e, TimeZoneInfo zone) => e.Target is null
        ? $"{Stamp(e.Timestamp, zone)} {RoomPrefix(e.Room)}*** {e.Sender} shared {e.Name} ({ByteSize.Format(e.Size)}): {e.Url}\n"
        : $"{Stamp(e.Timestamp, zone)} [PM] {e.Sender} sent {e.Name} ({ByteSize.Format(e.Size)}) to {e.Target}: {e.Url}\n";

    private static string FormatWelcome(WelcomeEvent e)
    {
        var sb = new StringBuilder();
        sb.Append("Welcome to Parley, ").Append(e.Username).Append("! Type /help for commands.\n");
        if (!string.IsNullOrEmpty(e.Motd))
        {
            sb.Append("*** ").Append(e.Motd).Append('\n');
        }

        return sb.Append(UserListText.Online(e.Users, e.UserCount)).Append('\n').ToString();
    }

    private static string FormatHelp(HelpEvent e)
    {
        var width = 0;
        foreach (var entry in e.Commands)
        {
            width = Math.Max(width, entry.Usage.Length);
        }

        var sb = new StringBuilder("Commands:\n");
        foreach (var entry in e.Commands)
        {
            sb.Append("  ").Append(entry.Usage.PadRight(width)).Append("  ").Append(entry.Description).Append('\n');
        }

        sb.Append("Anything else you type is sent to everyone.\n");
        return sb.ToString();
    }
}
