using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Parley.Protocol;

namespace Parley.Client;

/// <summary>Encodes a request as one JSON line, <c>type</c> first, absent fields left out.</summary>
internal static class RequestWriter
{
    // Relaxed escaping sends non-ASCII text as UTF-8 rather than \uXXXX, so a message in any
    // script costs about as many bytes of the server's line limit as it has.
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Encode(ClientRequest request)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        using (var w = new Utf8JsonWriter(buffer, Options))
        {
            w.WriteStartObject();
            w.WriteString("type", request.Type);
            WriteOptional(w, "username", request.Username);
            WriteOptional(w, "password", request.Password);
            WriteOptional(w, "target", request.Target);
            WriteOptional(w, "content", request.Content);
            WriteOptional(w, "color", request.Color);
            WriteOptional(w, "room", request.Room);
            WriteOptional(w, "line", request.Line);
            WriteOptional(w, "name", request.Name);
            if (request.Size is { } size)
            {
                w.WriteNumber("size", size);
            }

            WriteOptional(w, "sha256", request.Sha256);
            w.WriteEndObject();
        }

        buffer.GetSpan(1)[0] = (byte)'\n';
        buffer.Advance(1);
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteOptional(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }
}
