using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using Parley.Protocol;

namespace Parley.Benchmarks;

/// <summary>
/// The inbound path per line: framing (single buffer and Kestrel-like 4 KiB segments), UTF-8
/// decoding, the JSON request parser and the text command parser.
/// </summary>
public class ParserBenchmarks
{
    private const int Lines = 1000;

    private ReadOnlySequence<byte> _single;
    private ReadOnlySequence<byte> _segmented;
    private byte[] _chatLine = [];
    private byte[] _jsonMessage = [];
    private byte[] _jsonJoin = [];

    [GlobalSetup]
    public void Setup()
    {
        var text = new StringBuilder();
        for (var i = 0; i < Lines; i++)
        {
            // Typical chat lines, some from telnet with \r\n.
            text.Append("hello everyone, this is message number ").Append(i).Append(" of the benchmark").Append(i % 4 == 0 ? "\r\n" : "\n");
        }

        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        _single = new ReadOnlySequence<byte>(bytes);
        _segmented = Segments.Split(bytes, 4096);
        _chatLine = Encoding.UTF8.GetBytes("hello everyone, this is a chat line of about sixty-four bytes!!");
        _jsonMessage = Encoding.UTF8.GetBytes("""{"type":"message","content":"hello everyone, this is a chat line of about sixty-four bytes!!"}""");
        _jsonJoin = Encoding.UTF8.GetBytes("""{"type":"join","username":"alice"}""");
    }

    [Benchmark(OperationsPerInvoke = Lines)]
    public int LineFramer_single_segment() => Frame(_single);

    [Benchmark(OperationsPerInvoke = Lines)]
    public int LineFramer_4KiB_segments() => Frame(_segmented);

    [Benchmark]
    public string? Utf8_decode_64B_line() => Utf8Text.TryDecode(_chatLine, out var text) ? text : null;

    [Benchmark]
    public ClientRequest? JsonRequestParser_message() => JsonRequestParser.TryParse(_jsonMessage, out var request, out _) ? request : null;

    [Benchmark]
    public ClientRequest? JsonRequestParser_join() => JsonRequestParser.TryParse(_jsonJoin, out var request, out _) ? request : null;

    [Benchmark]
    public int TextCommand_private_message()
    {
        TextCommand.TryParse("/msg bob hello there, how are you today?", out var command);
        return TextCommand.SplitArguments(command.Rest, 2).Length;
    }

    [Benchmark]
    public string TextCommand_who() => TextCommand.TryParse("/who", out var command) ? command.Name : "";

    private static int Frame(ReadOnlySequence<byte> buffer)
    {
        var framer = new LineFramer(8 * 1024);
        var count = 0;
        while (framer.TryRead(ref buffer, out _) == LineStatus.Line)
        {
            count++;
        }

        return count;
    }
}
