using System.Net;

namespace Parley.Bench;

/// <summary>Everything a run can be told. Defaults are those of the <c>fanout</c> scenario.</summary>
public sealed class BenchOptions
{
    /// <summary>The longest payload accepted: Parley's default line limit is 8 KiB and JSON adds its envelope.</summary>
    public const int MaxSize = 8000;

    public BenchScenario Scenario { get; set; } = BenchScenario.Fanout;

    public BenchProtocol Protocol { get; set; } = BenchProtocol.Text;

    public string Host { get; set; } = "127.0.0.1";

    public int Port { get; set; } = 5555;

    /// <summary>Connections scenario: how many to open.</summary>
    public int Count { get; set; } = 1000;

    /// <summary>Connections scenario: how long to keep them open after the probe.</summary>
    public TimeSpan Hold { get; set; } = TimeSpan.FromSeconds(5);

    public int Receivers { get; set; } = 1000;

    public int Senders { get; set; } = 10;

    /// <summary>Measured messages, in total over all senders.</summary>
    public int Messages { get; set; } = 5000;

    /// <summary>Aggregate messages per second; null sends as fast as the sockets take them.</summary>
    public double? Rate { get; set; }

    /// <summary>Length of each message's text in bytes (marker, numbers and padding).</summary>
    public int Size { get; set; } = 64;

    /// <summary>Unmeasured messages sent first (at the measured rate, or 1000/s when unthrottled) so the server's JIT is warm.</summary>
    public TimeSpan Warmup { get; set; }

    /// <summary>Bounds the connect phase and, separately, the measured phase.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Per connection: connect() plus registration.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>After everything is sent, how long without a new delivery ends the run (reported as stalled).</summary>
    public TimeSpan Drain { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Connects plus registrations in flight at once.</summary>
    public int MaxInflight { get; set; } = 256;

    /// <summary>Loopback source addresses used round-robin (more than ~28,000 connections to one port need several).</summary>
    public IReadOnlyList<IPAddress> SourceAddresses { get; set; } = [];

    /// <summary>When set, the server's memory and CPU are read from /proc/PID.</summary>
    public int? ServerPid { get; set; }

    /// <summary>Usernames are this prefix plus the connection's index; null picks "b" plus the run id.</summary>
    public string? NamePrefix { get; set; }

    /// <summary>
    /// Do not wait for the server's welcome line: a connection counts as registered once its name is
    /// written (for servers that have no welcome, such as the C reference server limitd).
    /// </summary>
    public bool NoWelcome { get; set; }

    /// <summary>Receive buffer per connection; 0 picks one from the scenario and message size.</summary>
    public int ReceiveBufferBytes { get; set; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting that cannot work.</summary>
    public void Validate()
    {
        Require(Port is > 0 and <= 65535, "--port must be between 1 and 65535");
        Require(Count >= 1, "--count must be at least 1");
        Require(Hold >= TimeSpan.Zero, "--hold must not be negative");
        Require(Receivers >= 0, "--receivers must not be negative");
        Require(Senders >= 1, "--senders must be at least 1");
        Require(Receivers + Senders >= 2, "a fan-out needs at least two clients (--receivers plus --senders)");
        Require(Messages >= 1, "--messages must be at least 1");
        Require(Rate is null or > 0, "--rate must be more than 0");
        Require(Size is >= 16 and <= MaxSize, $"--size must be between 16 and {MaxSize}");
        Require(Warmup >= TimeSpan.Zero, "--warmup must not be negative");
        Require(Timeout > TimeSpan.Zero && ConnectTimeout > TimeSpan.Zero && ProbeTimeout > TimeSpan.Zero, "timeouts must be positive");
        Require(Drain > TimeSpan.Zero, "--drain must be positive");
        Require(MaxInflight >= 1, "--max-inflight must be at least 1");
        Require(NamePrefix is null || (NamePrefix.Length is > 0 and <= 24 && NamePrefix.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.')), "--name-prefix must be 1-24 letters, digits, '_', '-' or '.'");
        Require(ReceiveBufferBytes == 0 || ReceiveBufferBytes >= 1024, "the receive buffer must be at least 1024 bytes");
        foreach (var address in SourceAddresses)
        {
            Require(IPAddress.IsLoopback(address) && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork, $"--source-ips takes 127.0.0.0/8 addresses only, not {address}");
        }
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException(message);
        }
    }
}
