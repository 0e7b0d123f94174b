using System.Text.Json;

namespace Parley.Testing;

/// <summary>A JSON-lines view of a <see cref="LineClient"/>.</summary>
public sealed class JsonLineClient(LineClient lines) : IAsyncDisposable
{
    public LineClient Lines => lines;

    public Task SendAsync(object message) => lines.SendLineAsync(JsonSerializer.Serialize(message));

    /// <summary>The next JSON line. A text greeting (sent when a client is slow to speak first) is skipped, as docs/protocol.md advises clients.</summary>
    public async Task<JsonElement> ReadAsync(TimeSpan? timeout = null)
    {
        while (true)
        {
            var line = await lines.ReadLineAsync(timeout).ConfigureAwait(false) ?? throw new IOException("Connection closed");
            if (line.StartsWith('{'))
            {
                return JsonDocument.Parse(line).RootElement.Clone();
            }
        }
    }

    /// <summary>Reads until a message of <paramref name="type"/> that also satisfies <paramref name="match"/>.</summary>
    public async Task<JsonElement> ExpectTypeAsync(string type, Func<JsonElement, bool>? match = null, TimeSpan? timeout = null)
    {
        var line = await lines.ExpectAsync(
            l =>
            {
                if (!l.StartsWith('{'))
                {
                    return false;
                }

                using var doc = JsonDocument.Parse(l);
                return doc.RootElement.GetProperty("type").GetString() == type && (match is null || match(doc.RootElement));
            },
            timeout).ConfigureAwait(false);
        return JsonDocument.Parse(line).RootElement.Clone();
    }

    public ValueTask DisposeAsync() => lines.DisposeAsync();
}
