namespace Parley.Core;

/// <summary>
/// Limits per client address and the flood penalties. Defaults are generous enough for a room of
/// real people; docs/security.md explains each one. Loopback is exempt from the per-address limits
/// by default, because tests and local tools open many connections from 127.0.0.1.
/// </summary>
public sealed class AbuseOptions
{
    /// <summary>Connections open at once from one address; 0 turns the limit off.</summary>
    public int MaxConnectionsPerIp { get; set; } = 16;

    /// <summary>New connections from one address in any 60 seconds; 0 turns the limit off.</summary>
    public int MaxNewConnectionsPerIpPerMinute { get; set; } = 60;

    /// <summary>Whether 127.0.0.0/8 and ::1 skip the per-address limits (connections and message rate).</summary>
    public bool ExemptLoopback { get; set; } = true;

    /// <summary>Messages per second from one address, whatever its connections (burst twice that); 0 turns it off.</summary>
    public double IpRateLimit { get; set; } = 20;

    /// <summary>Dropped (over-rate) messages that earn a mute; the next time, a disconnect.</summary>
    public int FloodStrikes { get; set; } = 50;

    /// <summary>How long a flooder's metered commands are refused.</summary>
    public TimeSpan FloodMute { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>After this long without a dropped message, strikes and earlier mutes are forgotten.</summary>
    public TimeSpan FloodForgive { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a connection may hold an unfinished line (bytes without a newline) before it is closed.</summary>
    public TimeSpan PartialLineTimeout { get; set; } = TimeSpan.FromSeconds(60);
}
