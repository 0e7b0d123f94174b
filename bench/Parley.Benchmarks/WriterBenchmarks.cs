using System.Buffers;
using BenchmarkDotNet.Attributes;
using Parley.Protocol;
using Parley.Protocol.Events;

namespace Parley.Benchmarks;

/// <summary>The outbound path per event: a chat message serialized for each protocol (once per broadcast).</summary>
public class WriterBenchmarks
{
    private readonly ChatEvent _chat = new("alice", "hello everyone, this is a chat line of about sixty-four bytes!!", null, new DateTimeOffset(2026, 11, 22, 14, 30, 25, 123, TimeSpan.Zero));
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);

    [Benchmark]
    public byte[] JsonEventWriter_encode_chat() => JsonEventWriter.Encode(_chat);

    [Benchmark]
    public byte[] TextEventWriter_encode_chat() => TextEventWriter.Encode(_chat, TimeZoneInfo.Utc);

    [Benchmark]
    public int JsonEventWriter_write_chat_to_buffer()
    {
        _buffer.ResetWrittenCount();
        JsonEventWriter.Write(_chat, _buffer);
        return _buffer.WrittenCount;
    }

    [Benchmark]
    public int TextEventWriter_write_chat_to_buffer()
    {
        _buffer.ResetWrittenCount();
        TextEventWriter.Write(_chat, TimeZoneInfo.Utc, _buffer);
        return _buffer.WrittenCount;
    }
}
