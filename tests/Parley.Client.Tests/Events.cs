using Parley.Protocol.Events;

namespace Parley.Client.Tests;

/// <summary>Bounded waits on a <see cref="ChatClient"/>'s event stream.</summary>
internal static class Events
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>Reads events until one of type <typeparamref name="T"/> matches; throws on timeout or end of stream.</summary>
    public static async Task<T> NextAsync<T>(this ChatClient client, Func<T, bool>? match = null)
        where T : ServerEvent
    {
        var seen = new List<ServerEvent>();
        using var cts = new CancellationTokenSource(Timeout);
        try
        {
            while (await client.Events.WaitToReadAsync(cts.Token))
            {
                while (client.Events.TryRead(out var evt))
                {
                    seen.Add(evt);
                    if (evt is T t && (match is null || match(t)))
                    {
                        return t;
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No {typeof(T).Name} within {Timeout.TotalSeconds} s. Seen: {string.Join(", ", seen)}");
        }

        throw new InvalidOperationException($"Connection ended before a {typeof(T).Name}. Seen: {string.Join(", ", seen)}");
    }

    /// <summary>Everything left on the stream until the connection ends (bounded).</summary>
    public static async Task<List<ServerEvent>> RestAsync(this ChatClient client)
    {
        var rest = new List<ServerEvent>();
        using var cts = new CancellationTokenSource(Timeout);
        await foreach (var evt in client.Events.ReadAllAsync(cts.Token))
        {
            rest.Add(evt);
        }

        return rest;
    }
}
