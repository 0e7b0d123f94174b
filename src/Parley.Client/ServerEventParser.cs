using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using Parley.Protocol.Events;

namespace Parley.Client;

/// <summary>
/// Reads one JSON line from the server into a typed event: the inverse of the server's JsonEventWriter.
/// Lenient on purpose: fields may come in any order, unknown fields are ignored, a missing text field
/// reads as empty, and an unknown <c>type</c> becomes an <see cref="UnknownEvent"/>. Only a line that is
/// not a JSON object with a <c>type</c> is rejected. Pure: no I/O, never throws on input.
/// </summary>
public static class ServerEventParser
{
    private const int MaxDepth = 16;

    public static bool TryParse(in ReadOnlySequence<byte> line, DateTimeOffset receivedAt, [NotNullWhen(true)] out ServerEvent? evt)
    {
        if (line.IsSingleSegment)
        {
            return TryParse(line.FirstSpan, receivedAt, out evt);
        }

        return TryParse(line.ToArray(), receivedAt, out evt);
    }

    public static bool TryParse(ReadOnlySpan<byte> line, DateTimeOffset receivedAt, [NotNullWhen(true)] out ServerEvent? evt)
    {
        evt = null;
        var f = new Fields();
        var reader = new Utf8JsonReader(line, new JsonReaderOptions { MaxDepth = MaxDepth });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                if (!reader.Read())
                {
                    return false;
                }

                ReadField(ref reader, name, f);
            }

            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                return false;
            }
        }
        catch (JsonException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            // A field of an unexpected JSON kind (e.g. a number where text belongs).
            return false;
        }

        if (string.IsNullOrEmpty(f.Type))
        {
            return false;
        }

        var time = f.Timestamp ?? receivedAt;
        evt = f.Type switch
        {
            "message" => new ChatEvent(f.Username ?? "", f.Content ?? "", f.Color, time) { Room = f.Room, Id = f.Id ?? 0, History = f.History ?? false },
            "private_message" => new PrivateMessageEvent(f.Sender ?? "", f.Content ?? "", f.Color, time) { Offline = f.Offline ?? false },
            "private_confirmation" => new PrivateConfirmationEvent(f.Target ?? "", f.Content ?? "", f.Color, f.Delivered ?? true, time) { Later = f.Later ?? false },
            "system" => new SystemEvent(f.Event ?? "", f.Username ?? "", f.Message ?? "", time) { Room = f.Room },
            "info" => new InfoEvent(f.Message ?? ""),
            "room" => new RoomEvent(f.Event ?? "", f.Room ?? "", f.Topic, f.Users ?? [], f.Message ?? "") { UserCount = Int(f.UserCount), From = f.From },
            "rooms" => new RoomsEvent(f.Rooms ?? []),
            "history" => new HistoryEndEvent(f.Room ?? "", (int)(f.Count ?? 0), f.Oldest ?? 0, f.More ?? false),
            "search" => new SearchEndEvent(f.Query ?? "", (int)(f.Count ?? 0)),
            "server" => new ServerNoticeEvent(f.Message ?? "", time),
            "welcome" => new WelcomeEvent(f.Username ?? "", f.Users ?? [], f.Motd) { UserCount = Int(f.UserCount), Room = f.Room },
            "users" => new UsersEvent(f.Users ?? []) { Room = f.Room, Page = Int(f.Page), Pages = Int(f.Pages), UserCount = Int(f.UserCount) },
            "presence" => new PresenceEvent(f.Room ?? "", Int(f.Joined) ?? 0, Int(f.Left) ?? 0, Int(f.Online) ?? 0, f.Message ?? "", time),
            "pong" => PongEvent.Instance,
            "error" => new ErrorEvent(f.Code ?? "", f.Message ?? ""),
            "help" => new HelpEvent(f.Commands ?? []),
            "goodbye" => new GoodbyeEvent(f.Message ?? ""),
            "prompt" => new PromptEvent(f.Message ?? ""),
            "file" => new FileSharedEvent(f.FileId ?? "", f.Sender ?? "", f.Target, f.Name ?? "", f.Size ?? 0, f.Sha256 ?? "", f.Url ?? "", f.Path ?? "", time) { Room = f.Room },
            "file_upload" => new FileUploadEvent(f.FileId ?? "", f.Name ?? "", f.Size ?? 0, f.UploadUrl ?? "", f.UploadPath ?? "", (int)Math.Clamp(f.ChunkSize ?? 0, 0, int.MaxValue))
            {
                Complete = f.Complete ?? false,
                Url = f.Url,
                Path = f.Path,
            },
            "file_refused" => new FileRefusedEvent(f.Name ?? "", f.Code ?? "", f.Message ?? ""),
            _ => new UnknownEvent(f.Type, Encoding.UTF8.GetString(line)),
        };
        return true;
    }

    private static void ReadField(ref Utf8JsonReader reader, string? name, Fields f)
    {
        switch (name)
        {
            case "type": f.Type = ReadString(ref reader); break;
            case "username": f.Username = ReadString(ref reader); break;
            case "content": f.Content = ReadString(ref reader); break;
            case "color": f.Color = ReadString(ref reader); break;
            case "sender": f.Sender = ReadString(ref reader); break;
            case "target": f.Target = ReadString(ref reader); break;
            case "event": f.Event = ReadString(ref reader); break;
            case "message": f.Message = ReadString(ref reader); break;
            case "motd": f.Motd = ReadString(ref reader); break;
            case "code": f.Code = ReadString(ref reader); break;
            case "delivered": f.Delivered = reader.TokenType == JsonTokenType.Null ? null : reader.GetBoolean(); break;
            case "timestamp": f.Timestamp = ReadTimestamp(ref reader); break;
            case "users": f.Users = ReadStrings(ref reader); break;
            case "commands": f.Commands = ReadHelp(ref reader); break;
            case "name": f.Name = ReadString(ref reader); break;
            case "sha256": f.Sha256 = ReadString(ref reader); break;
            case "url": f.Url = ReadString(ref reader); break;
            case "path": f.Path = ReadString(ref reader); break;
            case "upload_url": f.UploadUrl = ReadString(ref reader); break;
            case "upload_path": f.UploadPath = ReadString(ref reader); break;
            case "size": f.Size = ReadNumber(ref reader); break;
            case "chunk_size": f.ChunkSize = ReadNumber(ref reader); break;
            case "room": f.Room = ReadString(ref reader); break;
            case "query": f.Query = ReadString(ref reader); break;
            case "topic": f.Topic = ReadString(ref reader); break;
            case "from": f.From = ReadString(ref reader); break;
            case "rooms": f.Rooms = ReadRooms(ref reader); break;
            case "history": f.History = ReadBool(ref reader); break;
            case "offline": f.Offline = ReadBool(ref reader); break;
            case "later": f.Later = ReadBool(ref reader); break;
            case "more": f.More = ReadBool(ref reader); break;
            case "complete": f.Complete = ReadBool(ref reader); break;
            case "id":
                // Files have string ids ("f1"), messages numeric ones (42).
                if (reader.TokenType == JsonTokenType.String)
                {
                    f.FileId = ReadString(ref reader);
                }
                else
                {
                    f.Id = ReadNumber(ref reader);
                }

                break;
            case "count": f.Count = ReadNumber(ref reader); break;
            case "oldest": f.Oldest = ReadNumber(ref reader); break;
            case "user_count": f.UserCount = ReadNumber(ref reader); break;
            case "page": f.Page = ReadNumber(ref reader); break;
            case "pages": f.Pages = ReadNumber(ref reader); break;
            case "joined": f.Joined = ReadNumber(ref reader); break;
            case "left": f.Left = ReadNumber(ref reader); break;
            case "online": f.Online = ReadNumber(ref reader); break;
            default: reader.Skip(); break;
        }
    }

    private static bool? ReadBool(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.Null ? null : reader.GetBoolean();

    // Counts that do not fit an int are nonsense from a hostile server: read as absent.
    private static int? Int(long? value) => value is >= 0 and <= int.MaxValue ? (int)value : null;

    private static long? ReadNumber(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var value) ? value : null;

    private static string? ReadString(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.Null ? null : reader.GetString();

    private static DateTimeOffset? ReadTimestamp(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.String && reader.TryGetDateTimeOffset(out var value) ? value : null;

    private static string[]? ReadStrings(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return null;
        }

        var list = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            list.Add(reader.GetString() ?? "");
        }

        return [.. list];
    }

    private static HelpEntry[]? ReadHelp(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return null;
        }

        var list = new List<HelpEntry>();
        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            string? usage = null, description = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                reader.Read();
                switch (name)
                {
                    case "usage": usage = ReadString(ref reader); break;
                    case "description": description = ReadString(ref reader); break;
                    default: reader.Skip(); break;
                }
            }

            list.Add(new HelpEntry(usage ?? "", description ?? ""));
        }

        return [.. list];
    }

    private static RoomInfo[]? ReadRooms(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return null;
        }

        var list = new List<RoomInfo>();
        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            string? name = null, topic = null;
            long members = 0;
            var isPrivate = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var field = reader.GetString();
                reader.Read();
                switch (field)
                {
                    case "name": name = ReadString(ref reader); break;
                    case "topic": topic = ReadString(ref reader); break;
                    case "members": members = ReadNumber(ref reader) ?? 0; break;
                    case "private": isPrivate = ReadBool(ref reader) ?? false; break;
                    default: reader.Skip(); break;
                }
            }

            list.Add(new RoomInfo(name ?? "", (int)members, topic, isPrivate));
        }

        return [.. list];
    }

    private sealed class Fields
    {
        public string? Topic { get; set; }
        public string? From { get; set; }
        public RoomInfo[]? Rooms { get; set; }
        public string? Type { get; set; }
        public string? Username { get; set; }
        public string? Content { get; set; }
        public string? Color { get; set; }
        public string? Sender { get; set; }
        public string? Target { get; set; }
        public string? Event { get; set; }
        public string? Message { get; set; }
        public string? Motd { get; set; }
        public string? Code { get; set; }
        public bool? Delivered { get; set; }
        public DateTimeOffset? Timestamp { get; set; }
        public string[]? Users { get; set; }
        public HelpEntry[]? Commands { get; set; }
        public string? FileId { get; set; }
        public string? Name { get; set; }
        public string? Sha256 { get; set; }
        public string? Url { get; set; }
        public string? Path { get; set; }
        public string? UploadUrl { get; set; }
        public string? UploadPath { get; set; }
        public long? Size { get; set; }
        public long? ChunkSize { get; set; }
        public string? Room { get; set; }
        public string? Query { get; set; }
        public bool? History { get; set; }
        public bool? Offline { get; set; }
        public bool? Later { get; set; }
        public bool? More { get; set; }
        public bool? Complete { get; set; }
        public long? Id { get; set; }
        public long? Count { get; set; }
        public long? Oldest { get; set; }
        public long? UserCount { get; set; }
        public long? Page { get; set; }
        public long? Pages { get; set; }
        public long? Joined { get; set; }
        public long? Left { get; set; }
        public long? Online { get; set; }
    }
}
