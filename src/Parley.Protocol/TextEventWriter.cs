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
    // Lists are built in this thread's builder and encoded from it: a welcome to a large room names 500 members,
    // and building that line as a string (and the string it is appended to) was most of what a join allocated.
    private const int KeptBuilderChars = 64 * 1024;

    [ThreadStatic]
    private static StringBuilder? t_builder;

    public static byte[] Encode(ServerEvent evt, TimeZoneInfo zone) =>
        IsList(evt) ? EncodeBuffer.Encode(evt, static (e, buffer) => WriteList(e, buffer)) : Encoding.UTF8.GetBytes(Format(evt, zone));

    public static void Write(ServerEvent evt, TimeZoneInfo zone, IBufferWriter<byte> output)
    {
        if (IsList(evt))
        {
            WriteList(evt, output);
            return;
        }

        Encoding.UTF8.GetBytes(Format(evt, zone), output);
    }

    private static void WriteList(ServerEvent evt, IBufferWriter<byte> output)
    {
        var sb = TakeBuilder();
        try
        {
            // One encoder over all the chunks: a chunk may end between the two halves of a surrogate pair (an emoji
            // in a long message of the day), which the encoder carries into the next instead of replacing both.
            var encoder = Encoding.UTF8.GetEncoder();
            foreach (var chunk in AppendList(sb, evt).GetChunks())
            {
                encoder.Convert(chunk.Span, output, flush: false, out _, out _);
            }

            encoder.Convert([], output, flush: true, out _, out _);
        }
        finally
        {
            GiveBack(sb);
        }
    }

    // Taken out of the field while in use, so that a nested call could never share it.
    private static StringBuilder TakeBuilder()
    {
        var sb = t_builder ?? new StringBuilder(256);
        t_builder = null;
        return sb.Clear();
    }

    private static void GiveBack(StringBuilder sb)
    {
        if (sb.Capacity <= KeptBuilderChars)
        {
            t_builder = sb;
        }
    }

    private static bool IsList(ServerEvent evt) => evt is WelcomeEvent or UsersEvent or RoomEvent or RoomsEvent or HelpEvent;

    private static StringBuilder AppendList(StringBuilder sb, ServerEvent evt) => evt switch
    {
        WelcomeEvent e => AppendWelcome(sb, e),
        UsersEvent e => UserListText.AppendAnswer(sb, e).Append('\n'),
        RoomEvent e => AppendRoom(sb, e),
        RoomsEvent e => AppendRooms(sb, e),
        HelpEvent e => AppendHelp(sb, e),
        _ => throw new ArgumentException($"{evt.GetType().Name} is not a list", nameof(evt)),
    };

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
        WelcomeEvent or UsersEvent or RoomEvent or RoomsEvent or HelpEvent => AppendList(new StringBuilder(), evt).ToString(),
        PresenceEvent e => $"{Stamp(e.Timestamp, zone)} {RoomPrefix(e.Room)}*** {e.Message}\n",
        PongEvent => "PONG\n",
        ErrorEvent e => $"ERROR {e.Message}\n",
        GoodbyeEvent e => $"{e.Message}\n",
        PromptEvent e => $"{e.Message}\n",
        JoinPendingEvent e => $"*** {e.Message}\n",
        FileSharedEvent e => FormatFile(e, zone),
        FileUploadEvent { Complete: true } e => $"*** {e.Name} ({ByteSize.Format(e.Size)}) is on the server already: shared without uploading\n",
        FileUploadEvent e => $"*** Upload {e.Name} ({ByteSize.Format(e.Size)}) to {e.UploadUrl}\n",
        FileRefusedEvent e => $"ERROR {e.Message}\n",
        InfoEvent e => $"*** {e.Message}\n",
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

    private static StringBuilder AppendRoom(StringBuilder sb, RoomEvent e)
    {
        sb.Append("*** ").Append(e.Message).Append('\n');
        if (!string.IsNullOrEmpty(e.Topic))
        {
            sb.Append("*** Topic of ").Append(e.Room).Append(": ").Append(e.Topic).Append('\n');
        }

        return UserListText.AppendInRoom(sb, e.Room, e.Users, e.UserCount).Append('\n');
    }

    private static StringBuilder AppendRooms(StringBuilder sb, RoomsEvent e)
    {
        sb.Append("Rooms:\n");
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

        return sb;
    }

    private static string Stamp(DateTimeOffset timestamp, TimeZoneInfo zone) =>
        "[" + TimeZoneInfo.ConvertTime(timestamp, zone).ToString("HH:mm:ss", CultureInfo.InvariantCulture) + "]";

    private static string FormatFile(FileSharedEvent e, TimeZoneInfo zone) => e.Target is null
        ? $"{Stamp(e.Timestamp, zone)} {RoomPrefix(e.Room)}*** {e.Sender} shared {e.Name} ({ByteSize.Format(e.Size)}): {e.Url}\n"
        : $"{Stamp(e.Timestamp, zone)} [PM] {e.Sender} sent {e.Name} ({ByteSize.Format(e.Size)}) to {e.Target}: {e.Url}\n";

    private static StringBuilder AppendWelcome(StringBuilder sb, WelcomeEvent e)
    {
        sb.Append("Welcome to Parley, ").Append(e.Username).Append("! Type /help for commands.\n");
        if (!string.IsNullOrEmpty(e.Motd))
        {
            sb.Append("*** ").Append(e.Motd).Append('\n');
        }

        return UserListText.AppendOnline(sb, e.Users, e.UserCount).Append('\n');
    }

    private static StringBuilder AppendHelp(StringBuilder sb, HelpEvent e)
    {
        var width = 0;
        foreach (var entry in e.Commands)
        {
            width = Math.Max(width, entry.Usage.Length);
        }

        sb.Append("Commands:\n");
        foreach (var entry in e.Commands)
        {
            sb.Append("  ").Append(entry.Usage).Append(' ', width - entry.Usage.Length + 2).Append(entry.Description).Append('\n');
        }

        return sb.Append("Anything else you type is sent to everyone.\n");
    }
}
