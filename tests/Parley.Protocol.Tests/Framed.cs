using System.Buffers;
using System.Text;

namespace Parley.Protocol.Tests;

/// <summary>One framing outcome; the line is kept as Latin-1 so any byte compares and prints.</summary>
internal readonly record struct Framed(LineStatus Status, string? Line)
{
    public static Framed TooLong { get; } = new(LineStatus.TooLong, null);

    public static Framed Of(string line) => new(LineStatus.Line, line);

    public static Framed Of(ReadOnlySpan<byte> line) => new(LineStatus.Line, Encoding.Latin1.GetString(line));

    public static Framed Of(in ReadOnlySequence<byte> line) => Of(line.ToArray());

    public override string ToString() => Status == LineStatus.Line ? $"Line({Line})" : Status.ToString();
}
