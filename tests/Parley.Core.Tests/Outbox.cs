using System.Text;
using System.Text.Json;
using Parley.Protocol;
using Parley.Protocol.Events;

namespace Parley.Core.Tests;

/// <summary>
/// Reads what a session's write loop would send: every frame queued right now, acknowledged with
/// <see cref="Session.Dequeued(OutboundFrame)"/> as the real write loop does, as events, text lines or JSON.
/// </summary>
internal static class Outbox
{
    public static IReadOnlyList<OutboundFrame> Frames(Session session)
    {
        var frames = new List<OutboundFrame>();
        while (session.Outbound.TryRead(out var frame))
        {
            session.Dequeued(frame);
            frames.Add(frame);
        }

        return frames;
    }

    /// <summary>
    /// For answers that come from another thread (the store's writer or a reader): events as they are queued,
    /// until one matches, bounded by a timeout. Returns every event taken, the match last.
    /// </summary>
    public static async Task<IReadOnlyList<ServerEvent>> UntilAsync(Session session, Func<ServerEvent, bool> match, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        var events = new List<ServerEvent>();
        while (true)
        {
            OutboundFrame frame;
            try
            {
                frame = await session.Outbound.ReadAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"No matching event for {session}; got: {string.Join(" | ", events)}");
            }

            session.Dequeued(frame);
            foreach (var part in frame.Parts ?? [frame])
            {
                events.Add(part.Event);
                if (match(part.Event))
                {
                    return events;
                }
            }
        }
    }

    public static IReadOnlyList<ServerEvent> Events(Session session) =>
        [.. Frames(session).SelectMany(f => f.Parts ?? [f]).Select(f => f.Event)];

    public static IReadOnlyList<T> Events<T>(Session session)
        where T : ServerEvent => [.. Events(session).OfType<T>()];

    /// <summary>The bytes a text-mode client would read, as lines without their '\n'.</summary>
    public static IReadOnlyList<string> Text(Session session)
    {
        var text = string.Concat(Frames(session).Select(f => Encoding.UTF8.GetString(f.GetBytes(ProtocolKind.Text))));
        Assert.True(text.Length == 0 || text.EndsWith('\n'), $"unterminated text output: {text}");
        return text.Length == 0 ? [] : text[..^1].Split('\n');
    }

    /// <summary>The JSON lines a JSON client would read, parsed.</summary>
    public static IReadOnlyList<JsonElement> Json(Session session)
    {
        var result = new List<JsonElement>();
        foreach (var frame in Frames(session))
        {
            var bytes = frame.GetBytes(ProtocolKind.Json);
            Assert.Equal((byte)'\n', bytes[^1]);
            Assert.Equal(1, bytes.Count(b => b == (byte)'\n'));
            using var doc = JsonDocument.Parse(bytes);
            result.Add(doc.RootElement.Clone());
        }

        return result;
    }

    /// <summary>The error codes among the queued events (the rest are discarded).</summary>
    public static IReadOnlyList<string> ErrorCodes(Session session) => [.. Events<ErrorEvent>(session).Select(e => e.Code)];

    /// <summary>True once the queue is closed and everything in it was read: the write loop would end.</summary>
    public static bool IsFinished(Session session) => session.Outbound.Completion.IsCompleted;
}
