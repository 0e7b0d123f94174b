using System.Buffers;
using System.Text.Json;

namespace Parley.Protocol;

/// <summary>Parses one JSON-lines request. Pure: no I/O, never throws on client input.</summary>
public static class JsonRequestParser
{
    private const int MaxDepth = 16;

    public static bool TryParse(in ReadOnlySequence<byte> line, out ClientRequest request, out ProtocolError? error)
    {
        if (line.IsSingleSegment)
        {
            return TryParse(line.FirstSpan, out request, out error);
        }

        // Utf8JsonReader's multi-segment path throws IndexOutOfRangeException on a literal cut short
        // (`fals`) when the sequence ends in an empty segment, which is what slicing a line before a
        // newline that starts a segment produces. Lines are bounded by the framer, so parse a copy.
        var length = checked((int)line.Length);
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            line.CopyTo(rented);
            return TryParse(rented.AsSpan(0, length), out request, out error);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public static bool TryParse(ReadOnlySpan<byte> line, out ClientRequest request, out ProtocolError? error)
    {
        var reader = new Utf8JsonReader(line, new JsonReaderOptions { MaxDepth = MaxDepth });
        return TryParse(ref reader, out request, out error);
    }

    private static bool TryParse(ref Utf8JsonReader reader, out ClientRequest request, out ProtocolError? error)
    {
        request = new ClientRequest(string.Empty);
        string? type = null, username = null, password = null, content = null, target = null, color = null, room = null, lineText = null, fileName = null, sha256 = null, query = null;
        long? size = null;
        long? before = null;
        int? limit = null;
        int? page = null;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                error = new ProtocolError(ErrorCodes.InvalidJson, "Each line must be one JSON object");
                return false;
            }

            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                // Utf8JsonReader guarantees a PropertyName here inside an object.
                var name = reader.GetString();
                if (!reader.Read())
                {
                    break;
                }

                switch (name)
                {
                    case "type": type = ReadString(ref reader, name); break;
                    case "username": username = ReadString(ref reader, name); break;
                    case "password": password = ReadString(ref reader, name); break;
                    case "content": content = ReadString(ref reader, name); break;
                    case "target": target = ReadString(ref reader, name); break;
                    case "color": color = ReadString(ref reader, name); break;
                    case "room": room = ReadString(ref reader, name); break;
                    case "line": lineText = ReadString(ref reader, name); break;
                    case "name": fileName = ReadString(ref reader, name); break;
                    case "sha256": sha256 = ReadString(ref reader, name); break;
                    case "size": size = ReadSize(ref reader, name); break;
                    case "query": query = ReadString(ref reader, name); break;
                    case "before": before = ReadInteger(ref reader, name); break;
                    case "limit": limit = ReadInteger(ref reader, name) is { } n ? (int)Math.Clamp(n, 0, int.MaxValue) : null; break;
                    case "page": page = ReadInteger(ref reader, name) is { } p ? (int)Math.Clamp(p, 0, int.MaxValue) : null; break;
                    default: reader.Skip(); break;
                }
            }

            // Anything after the object (other than white space) makes the line invalid.
            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                error = new ProtocolError(ErrorCodes.InvalidJson, "Each line must be exactly one JSON object");
                return false;
            }
        }
        catch (JsonException)
        {
            error = new ProtocolError(ErrorCodes.InvalidJson, "Invalid JSON");
            return false;
        }
        catch (FieldTypeException ex)
        {
            error = new ProtocolError(ErrorCodes.InvalidField, $"Field '{ex.Field}' must be {(ex.Field is "before" or "limit" or "page" ? "a whole number" : "a string")}");
            return false;
        }
        catch (FieldNumberException ex)
        {
            error = new ProtocolError(ErrorCodes.InvalidField, $"Field '{ex.Field}' must be a whole number from 0 up");
            return false;
        }
        catch (InvalidOperationException)
        {
            error = new ProtocolError(ErrorCodes.InvalidJson, "Invalid JSON");
            return false;
        }

        if (string.IsNullOrEmpty(type))
        {
            error = new ProtocolError(ErrorCodes.MissingField, "Field 'type' is required");
            return false;
        }

        request = new ClientRequest(type)
        {
            Username = username,
            Password = password,
            Content = content,
            Target = target,
            Color = color,
            Room = room,
            Line = lineText,
            Name = fileName,
            Size = size,
            Sha256 = sha256,
            Query = query,
            Before = before,
            Limit = limit,
            Page = page,
        };
        error = null;
        return true;
    }

    private static string? ReadString(ref Utf8JsonReader reader, string field) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Null => null,
        _ => throw new FieldTypeException(field),
    };

    private static long? ReadSize(ref Utf8JsonReader reader, string field) => reader.TokenType switch
    {
        JsonTokenType.Number when reader.TryGetInt64(out var value) && value >= 0 => value,
        JsonTokenType.Null => null,
        _ => throw new FieldNumberException(field),
    };

    private sealed class FieldNumberException(string field) : Exception
    {
        public string Field { get; } = field;
    }

    private static long? ReadInteger(ref Utf8JsonReader reader, string field) => reader.TokenType switch
    {
        JsonTokenType.Number when reader.TryGetInt64(out var value) => value,
        JsonTokenType.Null => null,
        _ => throw new FieldTypeException(field),
    };

    private sealed class FieldTypeException(string field) : Exception
    {
        public string Field { get; } = field;
    }
}
