using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text;

namespace Parley.Bench;

/// <summary>
/// One client: a raw socket, one receive loop and the delivery accounting for what it receives.
/// The receive path does not allocate: bytes land in a fixed buffer, lines are found with span
/// searches and counted into fields and a per-thread histogram. Only the receive loop writes the
/// counters; the monitor reads them racily (they only grow) and exactly once the loop has ended.
/// The hot methods are compiled fully optimized up front (AggressiveOptimization): a run lasts about a
/// second, less than tiered compilation needs to promote them, and Tier-0 code made the client cost
/// 2.5-4 times more CPU per delivery than chatload.
/// </summary>
internal sealed class BenchConnection
{
    private static readonly byte[] TextWelcome = "Welcome to Parley, "u8.ToArray();
    private static readonly byte[] JsonWelcome = "{\"type\":\"welcome\""u8.ToArray();

    private readonly RunState _run;
    private readonly byte[] _registration;
    private readonly TaskCompletionSource<string?> _registered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private byte[] _buffer = [];
    private int _start;
    private int _end;
    private bool _midLine; // bytes of the current line were dropped (it was longer than any bench line)
    private bool _isRegistered;
    private volatile bool _closing;
    private Socket? _socket;
    private Task _receiving = Task.CompletedTask;
    private ulong[] _seen = [];
    private ulong[] _warmupSeen = [];

    public BenchConnection(RunState run, int index, string name, int senderIndex)
    {
        _run = run;
        Index = index;
        NameText = name;
        Name = Encoding.ASCII.GetBytes(name);
        SenderIndex = senderIndex;
        _registration = run.Json
            ? Encoding.UTF8.GetBytes($"{{\"type\":\"join\",\"username\":\"{name}\"}}\n")
            : Encoding.UTF8.GetBytes(name + "\n");
    }

    public int Index { get; }

    public string NameText { get; }

    public byte[] Name { get; }

    /// <summary>This client's sender number, or -1 for a receiver.</summary>
    public int SenderIndex { get; }

    public long ConnectStarted { get; set; }

    public long ConnectedAt { get; set; }

    public long RegisteredAt { get; private set; }

    /// <summary>Why connecting or registering failed (e.g. ECONNREFUSED, TIMEOUT, EOF, or the server's error line).</summary>
    public string? Failure { get; set; }

    public bool IsRegistered => Volatile.Read(ref _isRegistered);

    /// <summary>The server closed the connection after it had registered.</summary>
    public bool Dropped { get; private set; }

    public string? DropReason { get; private set; }

    public long DroppedAt { get; private set; }

    public bool SawProbe { get; private set; }

    public long Delivered;
    public long Duplicates;
    public long Garbled;
    public long NameMismatches;
    public long Foreign;
    public long SelfEchoes;
    public long RateLimited;
    public long WarmupDelivered;
    public long BytesIn;
    public long BytesOut;

    /// <summary>When the latest first-time measured delivery arrived (Stopwatch ticks).</summary>
    public long LastDelivery;

    /// <summary>Measured deliveries this client should get: every message except its own.</summary>
    public long Expected { get; private set; }

    public Socket Socket => _socket ?? throw new InvalidOperationException("Not connected");

    public bool IsLive => _socket is not null && !Dropped && Failure is null;

    /// <summary>Connects (optionally from <paramref name="source"/>), starts receiving and sends the registration line.</summary>
    public async Task ConnectAsync(EndPoint server, IPAddress? source, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        _socket = socket;
        if (source is not null)
        {
            // IP_BIND_ADDRESS_NO_PORT: pick the port at connect() time, per destination, so each
            // source address gets the whole ephemeral range.
            socket.SetRawSocketOption(0, 24, BitConverter.GetBytes(1));
            socket.Bind(new IPEndPoint(source, 0));
        }

        await socket.ConnectAsync(server, cancellationToken).ConfigureAwait(false);
        ConnectedAt = System.Diagnostics.Stopwatch.GetTimestamp();
        _buffer = GC.AllocateUninitializedArray<byte>(_run.ReceiveBufferBytes, pinned: true);
        _receiving = ReceiveLoopAsync();
        await SendAsync(_registration, cancellationToken).ConfigureAwait(false);
        if (_run.Options.NoWelcome)
        {
            MarkRegistered();
        }
    }

    /// <summary>Completes with null once the server welcomed this client, or with the reason it did not.</summary>
    public Task<string?> Registration => _registered.Task;

    public async ValueTask SendAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default)
    {
        await Socket.SendAsync(bytes, SocketFlags.None, cancellationToken).ConfigureAwait(false);
        Interlocked.Add(ref BytesOut, bytes.Length);
    }

    /// <summary>Blocking send for the rate scheduler's own thread.</summary>
    public void Send(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            var sent = Socket.Send(bytes, SocketFlags.None);
            bytes = bytes[sent..];
            Interlocked.Add(ref BytesOut, sent);
        }
    }

    /// <summary>Sizes the delivery bitmaps; called before any message of the phase is sent.</summary>
    public void PrepareMeasured(int messages, int senders)
    {
        _seen = new ulong[(messages + 63) / 64];
        Expected = ExpectedFor(SenderIndex, messages, senders);
    }

    /// <summary>Messages a client receives out of <paramref name="messages"/>: all but those it sent itself.</summary>
    public static long ExpectedFor(int senderIndex, int messages, int senders) =>
        senderIndex < 0 || senderIndex >= messages ? messages : messages - (((messages - 1 - senderIndex) / senders) + 1);

    public void PrepareWarmup(int messages) => _warmupSeen = new ulong[(messages + 63) / 64];

    /// <summary>Closes the socket and waits for the receive loop to finish.</summary>
    public async Task CloseAsync()
    {
        _closing = true;
        _socket?.Dispose();
        await _receiving.ConfigureAwait(false);
    }

    private void MarkRegistered()
    {
        RegisteredAt = System.Diagnostics.Stopwatch.GetTimestamp();
        Volatile.Write(ref _isRegistered, true);
        _registered.TrySetResult(null);
    }

    private void MarkFailed(string reason)
    {
        Failure ??= reason;
        _registered.TrySetResult(reason);
    }

    private async Task ReceiveLoopAsync()
    {
        var socket = _socket!;
        try
        {
            while (true)
            {
                var received = await socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None).ConfigureAwait(false);
                if (received == 0)
                {
                    Ended("EOF");
                    return;
                }

                var now = System.Diagnostics.Stopwatch.GetTimestamp();
                BytesIn += received;
                var fresh = _end;
                _end += received;
                OnReceived(fresh, now);
            }
        }
        catch (SocketException ex)
        {
            Ended(ex.SocketErrorCode switch
            {
                SocketError.ConnectionReset => "ECONNRESET",
                SocketError.OperationAborted => "ABORTED",
                _ => ex.SocketErrorCode.ToString(),
            });
        }
        catch (ObjectDisposedException)
        {
            Ended("CLOSED");
        }
    }

    private void Ended(string reason)
    {
        if (_closing)
        {
            return;
        }

        if (_isRegistered)
        {
            DroppedAt = System.Diagnostics.Stopwatch.GetTimestamp();
            DropReason = reason;
            Dropped = true;
        }
        else
        {
            MarkFailed(reason);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void OnReceived(int fresh, long now)
    {
        if (!_isRegistered)
        {
            ReadHandshakeLines();
        }

        if (_isRegistered)
        {
            if (SenderIndex >= 0)
            {
                CountRateLimited(_buffer.AsSpan(fresh, _end - fresh));
            }

            ScanMessages(now);
        }

        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }
    }

    // Before the welcome: whole lines, looking for the welcome or an error.
    private void ReadHandshakeLines()
    {
        while (!_isRegistered && Failure is null)
        {
            var pending = _buffer.AsSpan(_start, _end - _start);
            var newline = pending.IndexOf((byte)'\n');
            if (newline < 0)
            {
                if (pending.Length == _buffer.Length)
                {
                    // A line longer than the buffer (a JSON welcome lists every user): its head is enough.
                    if (!_midLine)
                    {
                        InspectHandshakeLine(pending);
                    }

                    _start = _end;
                    _midLine = true;
                }

                return;
            }

            if (!_midLine)
            {
                InspectHandshakeLine(TrimCarriageReturn(pending[..newline]));
            }

            _midLine = false;
            _start += newline + 1;
        }
    }

    private void InspectHandshakeLine(ReadOnlySpan<byte> line)
    {
        if (_run.Json)
        {
            if (line.StartsWith(JsonWelcome))
            {
                MarkRegistered();
            }
            else if (line.StartsWith("""{"type":"error","""u8))
            {
                MarkFailed("SERVER_ERROR " + Encoding.UTF8.GetString(line[..Math.Min(line.Length, 200)]));
            }

            return;
        }

        if (line.StartsWith(TextWelcome) && line[TextWelcome.Length..].StartsWith(Name) && line.Length > TextWelcome.Length + Name.Length && line[TextWelcome.Length + Name.Length] == (byte)'!')
        {
            MarkRegistered();
        }
        else if (line.StartsWith("ERROR"u8))
        {
            MarkFailed("SERVER_ERROR " + Encoding.UTF8.GetString(line[..Math.Min(line.Length, 200)]));
        }
    }

    // After the welcome only lines carrying the marker matter, so search for it rather than walking
    // every line: join notices and other chatter cost one vectorized scan.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ScanMessages(long now)
    {
        var buffer = _buffer;
        var at = _start;
        LatencyHistogram? histogram = null;
        while (true)
        {
            var rest = buffer.AsSpan(at, _end - at);
            var marker = rest.IndexOf(Payload.Marker);
            if (marker < 0)
            {
                var lastNewline = rest.LastIndexOf((byte)'\n');
                if (lastNewline >= 0)
                {
                    at += lastNewline + 1;
                    _midLine = false;
                }

                if (_end - at > _run.MaxLineBytes)
                {
                    // No bench line is this long: drop all but what could be the start of a marker.
                    at = _end - (Payload.Marker.Length - 1);
                    _midLine = true;
                }

                break;
            }

            var markerAt = at + marker;
            var lineStart = at;
            var headLost = _midLine;
            var before = rest[..marker].LastIndexOf((byte)'\n');
            if (before >= 0)
            {
                lineStart = at + before + 1;
                headLost = false;
            }

            var newline = buffer.AsSpan(markerAt, _end - markerAt).IndexOf((byte)'\n');
            if (newline < 0)
            {
                at = lineStart;
                _midLine = headLost;
                if (_end - lineStart > _run.MaxLineBytes)
                {
                    Garbled++;
                    at = _end;
                    _midLine = true;
                }

                break;
            }

            var lineEnd = markerAt + newline;
            histogram ??= _run.Latency.Value!;
            OnMessageLine(buffer.AsSpan(lineStart, lineEnd - lineStart), markerAt - lineStart, headLost, now, histogram);
            at = lineEnd + 1;
            _midLine = false;
        }

        _start = at;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void OnMessageLine(ReadOnlySpan<byte> line, int markerOffset, bool headLost, long now, LatencyHistogram histogram)
    {
        var text = TrimCarriageReturn(line[markerOffset..]);
        if (_run.Json)
        {
            var quote = text.IndexOf((byte)'"');
            if (quote < 0)
            {
                Garbled++;
                return;
            }

            text = text[..quote];
        }

        var status = Payload.TryParse(text, _run.RunId, _run.Options.Size, out var kind, out var seq, out var ticks, out var sender);
        if (status == PayloadStatus.Foreign)
        {
            Foreign++;
            return;
        }

        var senderName = _run.SenderName(sender);
        if (status == PayloadStatus.Garbled || headLost || senderName.IsEmpty)
        {
            Garbled++;
            return;
        }

        if (!NameMatches(line[..markerOffset], senderName))
        {
            NameMismatches++;
        }

        switch (kind)
        {
            case Payload.Sync:
                SawProbe = true;
                return;
            case Payload.Warmup:
                if (seq < _run.WarmupMessages && sender == seq % _run.SenderCount && sender != SenderIndex && MarkSeen(_warmupSeen, seq))
                {
                    WarmupDelivered++;
                }

                return;
        }

        if (seq >= _run.Messages || sender != seq % _run.SenderCount)
        {
            Garbled++;
        }
        else if (sender == SenderIndex)
        {
            SelfEchoes++;
        }
        else if (!MarkSeen(_seen, seq))
        {
            Duplicates++;
        }
        else
        {
            Delivered++;
            LastDelivery = now;
            histogram.Record(now - _run.BaseTimestamp - ticks);
        }
    }

    // Text: "[12:00:00] NAME: payload"; JSON: "username":"NAME" before the content (checked when present).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool NameMatches(ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> expected)
    {
        if (_run.Json)
        {
            var key = "\"username\":\""u8;
            var at = prefix.IndexOf(key);
            if (at < 0)
            {
                return true;
            }

            var value = prefix[(at + key.Length)..];
            var quote = value.IndexOf((byte)'"');
            return quote >= 0 && value[..quote].SequenceEqual(expected);
        }

        if (prefix.Length < 2 || prefix[^1] != (byte)' ' || prefix[^2] != (byte)':')
        {
            return false;
        }

        var head = prefix[..^2];
        return head[(head.LastIndexOf((byte)' ') + 1)..].SequenceEqual(expected);
    }

    // Flood control answers in text ("... sending too fast ...") or JSON ("rate_limited"); counted
    // so a run against a server with flood control on says why its messages went missing.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void CountRateLimited(ReadOnlySpan<byte> fresh)
    {
        var needle = _run.Json ? "\"rate_limited\""u8 : "sending too fast"u8;
        int found;
        while ((found = fresh.IndexOf(needle)) >= 0)
        {
            RateLimited++;
            fresh = fresh[(found + needle.Length)..];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool MarkSeen(ulong[] bits, long seq)
    {
        ref var word = ref bits[seq >> 6];
        var mask = 1UL << (int)(seq & 63);
        if ((word & mask) != 0)
        {
            return false;
        }

        word |= mask;
        return true;
    }

    private static ReadOnlySpan<byte> TrimCarriageReturn(ReadOnlySpan<byte> line) =>
        line.Length > 0 && line[^1] == (byte)'\r' ? line[..^1] : line;
}
