using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;

namespace Parley.Bench;

/// <summary>What every connection of one run shares: settings, identity, the clock base and the latency histograms.</summary>
internal sealed class RunState : IDisposable
{
    private const string RunIdAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

    public RunState(BenchOptions options, int connectionCount, int senderBase, int senderCount)
    {
        Options = options;
        var id = new char[Payload.RunIdLength];
        for (var i = 0; i < id.Length; i++)
        {
            id[i] = RunIdAlphabet[Random.Shared.Next(RunIdAlphabet.Length)];
        }

        RunIdText = new string(id);
        RunId = Encoding.ASCII.GetBytes(RunIdText);
        NamePrefix = options.NamePrefix ?? "b" + RunIdText;
        SenderBase = senderBase;
        SenderCount = senderCount;
        MaxPayloadLength = Payload.MaxLength(options.Size);
        // A bench line: the payload plus the server's decoration (time stamp, name, JSON envelope).
        MaxLineBytes = MaxPayloadLength + 256;
        ReceiveBufferBytes = options.ReceiveBufferBytes > 0
            ? Math.Max(options.ReceiveBufferBytes, 2 * MaxLineBytes)
            : Math.Max(options.Scenario == BenchScenario.Connections ? 4096 : 32 * 1024, 4 * MaxLineBytes);
        Connections = new BenchConnection[connectionCount];
        for (var i = 0; i < connectionCount; i++)
        {
            var sender = i >= senderBase && i < senderBase + senderCount ? i - senderBase : -1;
            Connections[i] = new BenchConnection(this, i, NamePrefix + i.ToString(System.Globalization.CultureInfo.InvariantCulture), sender);
        }
    }

    public BenchOptions Options { get; }

    public bool Json => Options.Protocol == BenchProtocol.Json;

    public string RunIdText { get; }

    public byte[] RunId { get; }

    public string NamePrefix { get; }

    public BenchConnection[] Connections { get; }

    /// <summary>Index in <see cref="Connections"/> of sender 0; senders follow it.</summary>
    public int SenderBase { get; }

    public int SenderCount { get; }

    public int MaxPayloadLength { get; }

    public int MaxLineBytes { get; }

    public int ReceiveBufferBytes { get; }

    /// <summary>Measured messages of this run (known once the measured phase is set up).</summary>
    public int Messages { get; set; }

    public int WarmupMessages { get; set; }

    /// <summary>Payload timestamps count Stopwatch ticks from here (keeps the numbers short).</summary>
    public long BaseTimestamp { get; } = Stopwatch.GetTimestamp();

    public ThreadLocal<LatencyHistogram> Latency { get; } = new(() => new LatencyHistogram(), trackAllValues: true);

    public IEnumerable<BenchConnection> Senders => Connections.Skip(SenderBase).Take(SenderCount);

    /// <summary>The name the server should show for <paramref name="sender"/>, or empty when there is no such sender.</summary>
    public ReadOnlySpan<byte> SenderName(int sender) =>
        (uint)sender < (uint)SenderCount ? Connections[SenderBase + sender].Name : default;

    /// <summary>One complete chat line as the client sends it (payload plus newline, or the JSON envelope).</summary>
    public int WriteMessageLine(Span<byte> destination, byte kind, long seq, int sender)
    {
        var ticks = Stopwatch.GetTimestamp() - BaseTimestamp;
        return WriteMessageLine(destination, kind, seq, ticks, sender);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int WriteMessageLine(Span<byte> destination, byte kind, long seq, long ticks, int sender)
    {
        var at = 0;
        if (Json)
        {
            var envelope = "{\"type\":\"message\",\"content\":\""u8;
            envelope.CopyTo(destination);
            at = envelope.Length;
        }

        at += Payload.Write(destination[at..], kind, RunId, seq, ticks, sender, Options.Size);
        if (Json)
        {
            destination[at++] = (byte)'"';
            destination[at++] = (byte)'}';
        }

        destination[at++] = (byte)'\n';
        return at;
    }

    /// <summary>The largest line <see cref="WriteMessageLine(Span{byte}, byte, long, int)"/> produces.</summary>
    public int MaxMessageLineBytes => MaxPayloadLength + 32;

    public LatencyHistogram MergedLatency()
    {
        var all = new LatencyHistogram();
        foreach (var histogram in Latency.Values)
        {
            all.Add(histogram);
        }

        return all;
    }

    public void Dispose() => Latency.Dispose();
}
