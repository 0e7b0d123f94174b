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
        ChatEvent e => $"{Stamp(e.Timestamp, zone)} {e.Username}: {e.Content}\n",
        PrivateMessageEvent e => $"{Stamp(e.Timestamp, zone)} [PM] {e.Sender}: {e.Content}\n",
        PrivateConfirmationEvent e => $"{Stamp(e.Timestamp, zone)} [PM to {e.Target}] {e.Content}\n",
        SystemEvent e => $"{Stamp(e.Timestamp, zone)} *** {e.Message}\n",
        ServerNoticeEvent e => $"{Stamp(e.Timestamp, zone)} [SERVER] {e.Message}\n",
        WelcomeEvent e => FormatWelcome(e),
        UsersEvent e => $"Users: {string.Join(", ", e.Users)}\n",
        PongEvent => "PONG\n",
        ErrorEvent e => $"ERROR {e.Message}\n",
        HelpEvent e => FormatHelp(e),
        GoodbyeEvent e => $"{e.Message}\n",
        PromptEvent e => $"{e.Message}\n",
        JoinPendingEvent e => $"*** {e.Message}\n",
        FileSharedEvent e => FormatFile(e, zone),
        FileUploadEvent e => $"*** Upload {e.Name} ({ByteSize.Format(e.Size)}) to {e.UploadUrl}\n",
        FileRefusedEvent e => $"ERROR {e.Message}\n",
        _ => throw new ArgumentException($"No text form for {evt.GetType().Name}", nameof(evt)),
    };

    private static string Stamp(DateTimeOffset timestamp, TimeZoneInfo zone) =>
        "[" + TimeZoneInfo.ConvertTime(timestamp, zone).ToString("HH:mm:ss", CultureInfo.InvariantCulture) + "]";

    private static string FormatFile(FileSharedEvent e, TimeZoneInfo zone) => e.Target is null
        ? $"{Stamp(e.Timestamp, zone)} *** {e.Sender} shared {e.Name} ({ByteSize.Format(e.Size)}): {e.Url}\n"
        : $"{Stamp(e.Timestamp, zone)} [PM] {e.Sender} sent {e.Name} ({ByteSize.Format(e.Size)}) to {e.Target}: {e.Url}\n";

    private static string FormatWelcome(WelcomeEvent e)
    {
        var sb = new StringBuilder();
        sb.Append("Welcome to Parley, ").Append(e.Username).Append("! Type /help for commands.\n");
        if (!string.IsNullOrEmpty(e.Motd))
        {
            sb.Append("*** ").Append(e.Motd).Append('\n');
        }

        sb.Append("Users online (").Append(e.Users.Count).Append("): ").AppendJoin(", ", e.Users).Append('\n');
        return sb.ToString();
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
