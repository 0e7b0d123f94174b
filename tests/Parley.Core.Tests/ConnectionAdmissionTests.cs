using System.Net;
using Parley.Testing;

namespace Parley.Core.Tests;

public sealed class ConnectionAdmissionTests
{
    private static readonly IPAddress Client = IPAddress.Parse("203.0.113.9");

    [Fact]
    public void Open_connections_per_address_are_capped_and_freed_on_release()
    {
        var admission = new ConnectionAdmission(new AbuseOptions { MaxConnectionsPerIp = 2, MaxNewConnectionsPerIpPerMinute = 0 }, new ManualTimeProvider(DateTimeOffset.UnixEpoch));
        Assert.True(admission.TryAdmit(Client, out _));
        Assert.True(admission.TryAdmit(Client, out _));
        Assert.False(admission.TryAdmit(Client, out var refusal));
        Assert.Equal("too many connections from your address (limit 2 at once)", refusal);
        Assert.True(admission.TryAdmit(IPAddress.Parse("203.0.113.10"), out _));

        admission.Release(Client);
        Assert.True(admission.TryAdmit(Client, out _));
    }

    [Fact]
    public void New_connections_per_minute_are_capped_over_a_sliding_window()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UnixEpoch);
        var admission = new ConnectionAdmission(new AbuseOptions { MaxConnectionsPerIp = 0, MaxNewConnectionsPerIpPerMinute = 3 }, time);
        for (var i = 0; i < 3; i++)
        {
            Assert.True(admission.TryAdmit(Client, out _));
            admission.Release(Client);
            time.Advance(TimeSpan.FromSeconds(10));
        }

        Assert.False(admission.TryAdmit(Client, out var refusal));
        Assert.Contains("limit 3 a minute", refusal, StringComparison.Ordinal);

        // The first one leaves the window 60 s after it came.
        time.Advance(TimeSpan.FromSeconds(30));
        Assert.True(admission.TryAdmit(Client, out _));
    }

    [Fact]
    public void Loopback_is_exempt_by_default_and_mapped_addresses_count_as_ipv4()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UnixEpoch);
        var exempt = new ConnectionAdmission(new AbuseOptions { MaxConnectionsPerIp = 1 }, time);
        Assert.True(exempt.TryAdmit(IPAddress.Loopback, out _));
        Assert.True(exempt.TryAdmit(IPAddress.Loopback, out _));
        Assert.True(exempt.TryAdmit(IPAddress.IPv6Loopback, out _));
        Assert.Equal(0, exempt.TrackedAddresses);

        var strict = new ConnectionAdmission(new AbuseOptions { MaxConnectionsPerIp = 1, ExemptLoopback = false }, time);
        Assert.True(strict.TryAdmit(IPAddress.Loopback, out _));
        Assert.False(strict.TryAdmit(IPAddress.Loopback.MapToIPv6(), out _));
    }

    [Fact]
    public void Addresses_are_forgotten_once_idle_so_memory_stays_bounded()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UnixEpoch);
        var admission = new ConnectionAdmission(new AbuseOptions(), time);
        for (var i = 0; i < 3000; i++)
        {
            var address = new IPAddress([10, 0, (byte)(i >> 8), (byte)i]);
            Assert.True(admission.TryAdmit(address, out _));
            admission.Release(address);
        }

        time.Advance(TimeSpan.FromMinutes(2));
        admission.TryAdmit(Client, out _);
        admission.Release(Client);
        Assert.True(admission.TrackedAddresses <= 1025, $"{admission.TrackedAddresses} addresses still tracked");
    }
}
