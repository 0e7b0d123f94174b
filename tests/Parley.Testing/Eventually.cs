namespace Parley.Testing;

/// <summary>
/// For state that only the server can see: re-checks a condition until it holds, bounded by a
/// timeout. Every socket-visible event should be awaited on the socket instead.
/// </summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0.#} s waiting for: {what}");
            }

            await Task.Delay(10).ConfigureAwait(false);
        }
    }
}
