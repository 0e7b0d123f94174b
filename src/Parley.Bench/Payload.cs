using System.Buffers.Text;
using System.Runtime.CompilerServices;

namespace Parley.Bench;

/// <summary>
/// The text of a bench message: <c>~pb~KRRRRseq.ticks.sender.pad</c>. K is the kind (measured,
/// warm-up, sync probe), RRRR the run id (other runs' traffic on the same server is foreign), ticks
/// the send time in Stopwatch ticks since the run's base, and pad a letter sequence that depends on
/// seq and fills the text to the requested size, so a cut or spliced line is caught as garbled.
/// Only <c>[a-z0-9~.]</c>: no JSON escaping, no sanitizing by the server.
/// </summary>
internal static class Payload
{
    public const byte Measured = (byte)'M';
    public const byte Warmup = (byte)'W';
    public const byte Sync = (byte)'S';
    public const int RunIdLength = 4;

    /// <summary>Marker, kind, run id, three numbers of at most 19 digits and three dots.</summary>
    public const int MaxHeaderLength = 4 + 1 + RunIdLength + (3 * 20);

    private static readonly byte[] PadPattern = CreatePadPattern();

    public static ReadOnlySpan<byte> Marker => "~pb~"u8;

    /// <summary>The text's length for a given size: the size, unless the header alone is longer.</summary>
    public static int MaxLength(int size) => Math.Max(size, MaxHeaderLength);

    /// <summary>Writes one message text; <paramref name="destination"/> must hold <see cref="MaxLength"/> bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Write(Span<byte> destination, byte kind, ReadOnlySpan<byte> runId, long seq, long ticks, int sender, int size)
    {
        Marker.CopyTo(destination);
        destination[4] = kind;
        runId.CopyTo(destination[5..]);
        var at = 5 + RunIdLength;
        at += WriteNumber(destination[at..], seq);
        destination[at++] = (byte)'.';
        at += WriteNumber(destination[at..], ticks);
        destination[at++] = (byte)'.';
        at += WriteNumber(destination[at..], sender);
        destination[at++] = (byte)'.';
        var pad = size - at;
        if (pad > 0)
        {
            PadPattern.AsSpan((int)(seq % 26), pad).CopyTo(destination[at..]);
            at += pad;
        }

        return at;
    }

    /// <summary>
    /// Parses a text that starts with the marker (and ends where the message ends). Foreign: another
    /// run's well-formed message. Anything malformed, of the wrong length or with a wrong pad is garbled.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static PayloadStatus TryParse(ReadOnlySpan<byte> text, ReadOnlySpan<byte> runId, int size, out byte kind, out long seq, out long ticks, out int sender)
    {
        kind = 0;
        seq = ticks = 0;
        sender = 0;
        if (text.Length < 5 + RunIdLength + 6 || !text.StartsWith(Marker))
        {
            return PayloadStatus.Garbled;
        }

        kind = text[4];
        if (kind is not (Measured or Warmup or Sync))
        {
            return PayloadStatus.Garbled;
        }

        var at = 5 + RunIdLength;
        if (!TryReadNumber(text, ref at, out seq) || !TryReadNumber(text, ref at, out ticks) || !TryReadNumber(text, ref at, out var senderNumber) || senderNumber > int.MaxValue)
        {
            return PayloadStatus.Garbled;
        }

        sender = (int)senderNumber;
        if (text.Length != Math.Max(size, at) || !text[at..].SequenceEqual(PadPattern.AsSpan((int)(seq % 26), text.Length - at)))
        {
            return PayloadStatus.Garbled;
        }

        return text.Slice(5, RunIdLength).SequenceEqual(runId) ? PayloadStatus.Ours : PayloadStatus.Foreign;
    }

    private static int WriteNumber(Span<byte> destination, long value)
    {
        Utf8Formatter.TryFormat(value, destination, out var written);
        return written;
    }

    // Reads decimal digits (at most 18, so no overflow) up to and including the next '.'.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryReadNumber(ReadOnlySpan<byte> text, ref int at, out long value)
    {
        value = 0;
        var rest = text[at..];
        var dot = rest.IndexOf((byte)'.');
        if (dot is <= 0 or > 18)
        {
            return false;
        }

        foreach (var c in rest[..dot])
        {
            var digit = c - (byte)'0';
            if ((uint)digit > 9)
            {
                return false;
            }

            value = (value * 10) + digit;
        }

        at += dot + 1;
        return true;
    }

    private static byte[] CreatePadPattern()
    {
        var pattern = new byte[BenchOptions.MaxSize + 26];
        for (var i = 0; i < pattern.Length; i++)
        {
            pattern[i] = (byte)('a' + (i % 26));
        }

        return pattern;
    }
}
