using System.Net;
using Parley.Protocol;

namespace Parley.Core;

/// <summary>
/// Flood control with escalating penalties. Each over-rate message is dropped and counts as a
/// strike: the first ones earn a warning (at most one a second), <see cref="AbuseOptions.FloodStrikes"/>
/// of them a mute for <see cref="AbuseOptions.FloodMute"/>, and as many again (muted or not) before
/// they are forgiven a disconnect. Strikes, mutes and a per-address token bucket are kept per client
/// address, so reconnecting neither resets the penalty nor buys a fresh rate; exempt (loopback) and
/// unknown addresses are tracked per session instead.
/// </summary>
internal sealed class FloodGuard
{
    private readonly Hub _hub;
    private readonly AbuseOptions _options;
    private readonly Lock _gate = new();
    private readonly Dictionary<IPAddress, FloodState> _byAddress = [];

    public FloodGuard(Hub hub)
    {
        _hub = hub;
        _options = hub.Options.Abuse;
    }

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

    /// <summary>Whether a metered command may run; when not, the user has been told why.</summary>
    public bool Allow(Session session)
    {
        var state = session.Flood ??= StateFor(session);
        var time = _hub.Time;
        lock (state)
        {
            var now = time.GetTimestamp();
            state.LastUsed = now;
            if (state.LastStrike != long.MinValue && time.GetElapsedTime(state.LastStrike, now) >= _options.FloodForgive)
            {
                state.Strikes = 0;
                state.Mutes = 0;
            }

            var muted = state.MutedUntil != long.MinValue && time.GetElapsedTime(now, state.MutedUntil) > TimeSpan.Zero;
            var userOk = muted || session.RateLimiter is not { } bucket || bucket.TryTake();
            var addressOk = muted || !userOk || state.AddressBucket is not { } shared || shared.TryTake();
            if (!muted && userOk && addressOk)
            {
                return true;
            }

            state.LastStrike = now;
            if (++state.Strikes >= _options.FloodStrikes && _options.FloodStrikes > 0)
            {
                state.Strikes = 0;
                if (state.Mutes > 0)
                {
                    _hub.Disconnect(session, "Disconnected for flooding", "flooding");
                    return false;
                }

                state.Mutes++;
                state.MutedUntil = now + (long)(_options.FloodMute.TotalSeconds * time.TimestampFrequency);
                session.LastRateNotice = now;
                _hub.SendError(session, ErrorCodes.Muted, $"You are muted for {_options.FloodMute.TotalSeconds:0} seconds for flooding; keep going and you will be disconnected");
                return false;
            }

            // Say so at most once a second, so the warnings cannot become a flood of their own.
            if (session.LastRateNotice == long.MinValue || time.GetElapsedTime(session.LastRateNotice, now) >= TimeSpan.FromSeconds(1))
            {
                session.LastRateNotice = now;
                if (muted)
                {
                    var left = time.GetElapsedTime(now, state.MutedUntil);
                    _hub.SendError(session, ErrorCodes.Muted, $"You are muted for flooding ({Math.Ceiling(left.TotalSeconds):0} more seconds); messages are being dropped");
                }
                else if (!userOk)
                {
                    _hub.SendError(session, ErrorCodes.RateLimited, $"You are sending too fast (limit {_hub.Options.RateLimit:0.##} messages per second); messages are being dropped");
                }
                else
                {
                    _hub.SendError(session, ErrorCodes.RateLimited, $"Your address is sending too fast (limit {_options.IpRateLimit:0.##} messages per second for all its connections); messages are being dropped");
                }
            }

            return false;
        }
    }

    private FloodState StateFor(Session session)
    {
        var address = IPEndPoint.TryParse(session.RemoteAddress, out var endPoint) ? endPoint.Address : null;
        if (address is not null && address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (ConnectionAdmission.IsExempt(address, _options))
        {
            return new FloodState(null);
        }

        lock (_gate)
        {
            if (_byAddress.TryGetValue(address!, out var state))
            {
                return state;
            }

            if (_byAddress.Count >= 4096)
            {
                Sweep();
            }

            var rate = _options.IpRateLimit;
            state = new FloodState(rate > 0 ? new TokenBucket(_hub.Time, rate, rate * 2) : null) { LastUsed = _hub.Time.GetTimestamp() };
            _byAddress.Add(address!, state);
            return state;
        }
    }

    // Forgets addresses that have been quiet for the forgive period; sessions still holding their
    // state keep it, so a live flooder loses nothing by being swept.
    private void Sweep()
    {
        var now = _hub.Time.GetTimestamp();
        foreach (var (address, state) in _byAddress.ToArray())
        {
            lock (state)
            {
                if (_hub.Time.GetElapsedTime(state.LastUsed, now) >= _options.FloodForgive)
                {
                    _byAddress.Remove(address);
                }
            }
        }
    }
}
