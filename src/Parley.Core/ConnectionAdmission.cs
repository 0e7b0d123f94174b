using System.Net;

namespace Parley.Core;

/// <summary>
/// Per-address connection limits, checked by every transport before it hands a connection to the
/// hub: at most <see cref="AbuseOptions.MaxConnectionsPerIp"/> open at once and
/// <see cref="AbuseOptions.MaxNewConnectionsPerIpPerMinute"/> new ones in any minute. Memory is
/// bounded: an address holds at most the per-minute limit of timestamps and is forgotten once it
/// has no open connection and no recent one.
/// </summary>
public sealed class ConnectionAdmission
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly Lock _gate = new();
    private readonly Dictionary<IPAddress, Entry> _byAddress = [];
    private readonly AbuseOptions _options;
    private readonly TimeProvider _time;
    private long _lastSweep;

    public ConnectionAdmission(AbuseOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
    }

    /// <summary>Addresses currently tracked (for tests and the memory audit).</summary>
    public int TrackedAddresses
    {
        get
        {
            lock (_gate)
            {
                return _byAddress.Count;
            }
        }
    }

    /// <summary>Connections from <paramref name="address"/> admitted and not yet released (0 for an exempt address).</summary>
    public int OpenFrom(IPAddress address)
    {
        if (IsExempt(address, _options))
        {
            return 0;
        }

        lock (_gate)
        {
            return _byAddress.TryGetValue(Normalize(address), out var entry) ? entry.Open : 0;
        }
    }

    /// <summary>
    /// Admits a connection from <paramref name="address"/>, or says why not. Every admitted
    /// connection must be given back with <see cref="Release"/> when it ends.
    /// </summary>
    public bool TryAdmit(IPAddress? address, out string? refusal)
    {
        refusal = null;
        if (IsExempt(address, _options))
        {
            return true;
        }

        var key = Normalize(address!);
        var now = _time.GetTimestamp();
        lock (_gate)
        {
            if (!_byAddress.TryGetValue(key, out var entry))
            {
                entry = new Entry();
                _byAddress.Add(key, entry);
            }

            while (entry.Recent.Count > 0 && _time.GetElapsedTime(entry.Recent.Peek(), now) >= Window)
            {
                entry.Recent.Dequeue();
            }

            if (_options.MaxConnectionsPerIp > 0 && entry.Open >= _options.MaxConnectionsPerIp)
            {
                refusal = $"too many connections from your address (limit {_options.MaxConnectionsPerIp} at once)";
            }
            else if (_options.MaxNewConnectionsPerIpPerMinute > 0 && entry.Recent.Count >= _options.MaxNewConnectionsPerIpPerMinute)
            {
                refusal = $"too many new connections from your address (limit {_options.MaxNewConnectionsPerIpPerMinute} a minute), try again later";
            }
            else
            {
                entry.Open++;
                if (_options.MaxNewConnectionsPerIpPerMinute > 0)
                {
                    entry.Recent.Enqueue(now);
                }

                return true;
            }

            ForgetIfIdle(key, entry);
            return false;
        }
    }

    /// <summary>An admitted connection from <paramref name="address"/> has ended.</summary>
    public void Release(IPAddress? address)
    {
        if (IsExempt(address, _options))
        {
            return;
        }

        var key = Normalize(address!);
        lock (_gate)
        {
            if (_byAddress.TryGetValue(key, out var entry))
            {
                entry.Open = Math.Max(0, entry.Open - 1);
                ForgetIfIdle(key, entry);
            }

            // Addresses that only ever connected once leave a timestamp behind; sweep them now and
            // then (not on every release, which would cost O(addresses) each time under attack).
            var now = _time.GetTimestamp();
            if (_byAddress.Count > 1024 && _time.GetElapsedTime(_lastSweep, now) >= TimeSpan.FromSeconds(10))
            {
                _lastSweep = now;
                foreach (var (k, e) in _byAddress.ToArray())
                {
                    while (e.Recent.Count > 0 && _time.GetElapsedTime(e.Recent.Peek(), now) >= Window)
                    {
                        e.Recent.Dequeue();
                    }

                    ForgetIfIdle(k, e);
                }
            }
        }
    }

    /// <summary>Whether <paramref name="address"/> skips the per-address limits (unknown addresses do too: nothing to count by).</summary>
    public static bool IsExempt(IPAddress? address, AbuseOptions options) =>
        address is null || (options.ExemptLoopback && IPAddress.IsLoopback(address));

    // IPv4 clients of a dual-stack socket appear as ::ffff:a.b.c.d; count them as the IPv4 address.
    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    private void ForgetIfIdle(IPAddress key, Entry entry)
    {
        if (entry.Open == 0 && entry.Recent.Count == 0)
        {
            _byAddress.Remove(key);
        }
    }

    private sealed class Entry
    {
        public int Open { get; set; }

        public Queue<long> Recent { get; } = new();
    }
}
