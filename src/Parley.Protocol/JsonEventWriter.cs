using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Parley.Protocol.Events;

namespace Parley.Protocol;

/// <summary>Writes server events as JSON lines: one object, <c>type</c> first, then <c>\n</c>.</summary>
public static class JsonEventWriter
{
    // Relaxed escaping keeps non-ASCII text readable; the output is never embedded in HTML.
    private static readonly JsonWriterOptions Options = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    public static byte[] Encode(ServerEvent evt) => EncodeBuffer.Encode(evt, static (e, buffer) => Write(e, buffer));

    public static void Write(ServerEvent evt, IBufferWriter<byte> output)
    {
        var writer = t_writer;
        if (writer is null)
        {
            writer = t_writer = new Utf8JsonWriter(output, Options);
        }
        else
        {
            writer.Reset(output);
        }

        try
        {
            WriteObject(writer, evt);
            writer.Flush();
        }
        finally
        {
            writer.Reset(NullBufferWriter.Instance);
        }

        output.GetSpan(1)[0] = (byte)'\n';
        output.Advance(1);
    }

    /// <summary>ISO 8601 UTC with milliseconds, e.g. <c>2026-11-22T14:30:25.123Z</c>.</summary>
    public static string FormatTimestamp(DateTimeOffset timestamp) =>
        timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static void WriteObject(Utf8JsonWriter w, ServerEvent evt)
    {
        w.WriteStartObject();
        switch (evt)
        {
            case ChatEvent e:
                w.WriteString("type", "message");
                w.WriteString("username", e.Username);
                w.WriteString("content", e.Content);
                WriteColor(w, e.Color);
                WriteTimestamp(w, e.Timestamp);
                WriteRoom(w, e.Room);
                if (e.Id > 0)
                {
                    w.WriteNumber("id", e.Id);
                }

                if (e.History)
                {
                    w.WriteBoolean("history", true);
                }

                break;
            case PrivateMessageEvent e:
                w.WriteString("type", "private_message");
                w.WriteString("sender", e.Sender);
                w.WriteString("content", e.Content);
                WriteColor(w, e.Color);
                WriteTimestamp(w, e.Timestamp);
                if (e.Offline)
                {
                    w.WriteBoolean("offline", true);
                }

                break;
            case PrivateConfirmationEvent e:
                w.WriteString("type", "private_confirmation");
                w.WriteString("target", e.Target);
                w.WriteString("content", e.Content);
                WriteColor(w, e.Color);
                w.WriteBoolean("delivered", e.Delivered);
                WriteTimestamp(w, e.Timestamp);
                if (e.Later)
                {
                    w.WriteBoolean("later", true);
                }

                break;
            case SystemEvent e:
                w.WriteString("type", "system");
                w.WriteString("event", e.Event);
                w.WriteString("username", e.Username);
                w.WriteString("message", e.Message);
                WriteTimestamp(w, e.Timestamp);
                WriteRoom(w, e.Room);
                break;
            case ServerNoticeEvent e:
                w.WriteString("type", "server");
                w.WriteString("message", e.Message);
                WriteTimestamp(w, e.Timestamp);
                break;
            case WelcomeEvent e:
                w.WriteString("type", "welcome");
                w.WriteString("username", e.Username);
                WriteNames(w, "users", e.Users);
                if (e.Motd is not null)
                {
                    w.WriteString("motd", e.Motd);
                }

                WriteRoom(w, e.Room);
                if (e.Registered)
                {
                    w.WriteBoolean("registered", true);
                }

                WriteCount(w, "user_count", e.UserCount);
                break;
            case UsersEvent e:
                w.WriteString("type", "users");
                WriteNames(w, "users", e.Users);
                WriteRoom(w, e.Room);
                WriteCount(w, "page", e.Page);
                WriteCount(w, "pages", e.Pages);
                WriteCount(w, "user_count", e.UserCount);
                break;
            case PresenceEvent e:
                w.WriteString("type", "presence");
                w.WriteString("room", e.Room);
                w.WriteNumber("joined", e.Joined);
                w.WriteNumber("left", e.Left);
                w.WriteNumber("online", e.Online);
                w.WriteString("message", e.Message);
                WriteTimestamp(w, e.Timestamp);
                break;
            case InfoEvent e:
                w.WriteString("type", "info");
                w.WriteString("message", e.Message);
                break;
            case RoomEvent e:
                w.WriteString("type", "room");
                w.WriteString("event", e.Event);
                w.WriteString("room", e.Room);
                if (e.Topic is not null)
                {
                    w.WriteString("topic", e.Topic);
                }

                WriteNames(w, "users", e.Users);
                WriteCount(w, "user_count", e.UserCount);
                if (e.From is not null)
                {
                    w.WriteString("from", e.From);
                }

                w.WriteString("message", e.Message);
                break;
            case RoomsEvent e:
                w.WriteString("type", "rooms");
                w.WriteStartArray("rooms");
                foreach (var room in e.Rooms)
                {
                    w.WriteStartObject();
                    w.WriteString("name", room.Name);
                    w.WriteNumber("members", room.Members);
                    if (room.Topic is not null)
                    {
                        w.WriteString("topic", room.Topic);
                    }

                    w.WriteBoolean("private", room.IsPrivate);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                break;
            case HistoryEndEvent e:
                w.WriteString("type", "history");
                w.WriteString("room", e.Room);
                w.WriteNumber("count", e.Count);
                w.WriteNumber("oldest", e.Oldest);
                w.WriteBoolean("more", e.More);
                break;
            case SearchEndEvent e:
                w.WriteString("type", "search");
                w.WriteString("query", e.Query);
                w.WriteNumber("count", e.Count);
                break;
            case PongEvent:
                w.WriteString("type", "pong");
                break;
            case ErrorEvent e:
                w.WriteString("type", "error");
                w.WriteString("code", e.Code);
                w.WriteString("message", e.Message);
                break;
            case HelpEvent e:
                w.WriteString("type", "help");
                w.WriteStartArray("commands");
                foreach (var entry in e.Commands)
                {
                    w.WriteStartObject();
                    w.WriteString("usage", entry.Usage);
                    w.WriteString("description", entry.Description);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                break;
            case GoodbyeEvent e:
                w.WriteString("type", "goodbye");
                w.WriteString("message", e.Message);
                if (e.Reason is not null)
                {
                    w.WriteString("reason", e.Reason);
                }

                break;
            case PromptEvent e:
                w.WriteString("type", "prompt");
                w.WriteString("message", e.Message);
                break;
            case JoinPendingEvent e:
                w.WriteString("type", "pending");
                w.WriteString("username", e.Username);
                w.WriteString("message", e.Message);
                break;
            case FileSharedEvent e:
                w.WriteString("type", "file");
                w.WriteString("id", e.Id);
                w.WriteString("sender", e.Sender);
                w.WriteString("name", e.Name);
                w.WriteNumber("size", e.Size);
                w.WriteString("sha256", e.Sha256);
                w.WriteString("url", e.Url);
                w.WriteString("path", e.Path);
                w.WriteBoolean("private", e.IsPrivate);
                if (e.Target is not null)
                {
                    w.WriteString("target", e.Target);
                }

                WriteTimestamp(w, e.Timestamp);
                WriteRoom(w, e.Room);
                break;
            case FileUploadEvent { Complete: true } e:
                w.WriteString("type", "file_upload");
                w.WriteString("id", e.Id);
                w.WriteString("name", e.Name);
                w.WriteNumber("size", e.Size);
                w.WriteBoolean("complete", true);
                w.WriteString("url", e.Url);
                w.WriteString("path", e.Path);
                break;
            case FileUploadEvent e:
                w.WriteString("type", "file_upload");
                w.WriteString("id", e.Id);
                w.WriteString("name", e.Name);
                w.WriteNumber("size", e.Size);
                w.WriteString("upload_url", e.UploadUrl);
                w.WriteString("upload_path", e.UploadPath);
                w.WriteNumber("chunk_size", e.ChunkSize);
                break;
            case FileRefusedEvent e:
                w.WriteString("type", "file_refused");
                w.WriteString("name", e.Name);
                w.WriteString("code", e.Code);
                w.WriteString("message", e.Message);
                break;
            default:
                throw new ArgumentException($"No JSON form for {evt.GetType().Name}", nameof(evt));
        }

        w.WriteEndObject();
    }

    private static void WriteColor(Utf8JsonWriter w, string? color)
    {
        if (color is not null)
        {
            w.WriteString("color", color);
        }
    }

    // Optional counts are left out when absent, so small rooms' events stay as they always were.
    private static void WriteCount(Utf8JsonWriter w, string name, int? value)
    {
        if (value is { } n)
        {
            w.WriteNumber(name, n);
        }
    }

    private static void WriteRoom(Utf8JsonWriter w, string? room)
    {
        if (room is not null)
        {
            w.WriteString("room", room);
        }
    }

    private static void WriteTimestamp(Utf8JsonWriter w, DateTimeOffset timestamp) =>
        w.WriteString("timestamp", FormatTimestamp(timestamp));

    private static void WriteNames(Utf8JsonWriter w, string property, IReadOnlyList<string> names)
    {
        w.WriteStartArray(property);
        foreach (var name in names)
        {
            w.WriteStringValue(name);
        }

        w.WriteEndArray();
    }

    private sealed class NullBufferWriter : IBufferWriter<byte>
    {
        public static readonly NullBufferWriter Instance = new();

        public void Advance(int count)
        {
        }

        public Memory<byte> GetMemory(int sizeHint = 0) => Array.Empty<byte>();

        public Span<byte> GetSpan(int sizeHint = 0) => Array.Empty<byte>();
    }
}
