namespace Parley.Core;

/// <summary>
/// Slows password guessing: after a few failures for a name or from an address, further attempts are
/// refused for a delay that doubles with each failure (capped), whatever the password. A success
/// clears the name's count. Thread-safe; time comes from the hub's clock.
/// </summary>
internal sealed class LoginThrottle(TimeProvider time)
{
    private const int FreeFailures = 3;
    private static readonly TimeSpan BaseDelay = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromMinutes(15);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>How long <paramref name="name"/> or <paramref name="address"/> must still wait, or zero.</summary>
    public TimeSpan RetryAfter(string name, string address)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            var wait = TimeSpan.Zero;
            foreach (var key in Keys(name, address))
            {
                if (_entries.TryGetValue(key, out var entry) && entry.Until > now && entry.Until - now > wait)
                {
                    wait = entry.Until - now;
                }
            }

            return wait;
        }
    }

    public void Failed(string name, string address)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            foreach (var key in Keys(name, address))
            {
                var failures = (_entries.TryGetValue(key, out var entry) ? entry.Failures : 0) + 1;
                var until = now;
                if (failures >= FreeFailures)
                {
                    var factor = Math.Pow(2, Math.Min(failures - FreeFailures, 10));
                    until = now + TimeSpan.FromTicks((long)Math.Min(BaseDelay.Ticks * factor, MaxDelay.Ticks));
                }

                _entries[key] = new Entry(failures, until);
            }

            // Bounded memory: forget entries whose delay has long passed.
            if (_entries.Count > 10_000)
            {
                foreach (var stale in _entries.Where(e => e.Value.Until + MaxDelay < now).Select(e => e.Key).ToArray())
                {
                    _entries.Remove(stale);
                }
            }
        }
    }

    public void Succeeded(string name)
    {
        lock (_gate)
        {
            _entries.Remove("name:" + name);
        }
    }

    private static string[] Keys(string name, string address) => ["name:" + name, "addr:" + address];

    private readonly record struct Entry(int Failures, DateTimeOffset Until);
}
