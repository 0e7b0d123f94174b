using System.Text;

namespace Parley.Bench.Tests;

public sealed class PayloadTests
{
    private static readonly byte[] Run = "ab12"u8.ToArray();

    [Theory]
    [InlineData(16)]
    [InlineData(64)]
    [InlineData(1000)]
    public void Written_text_parses_back(int size)
    {
        var buffer = new byte[Payload.MaxLength(size)];
        var length = Payload.Write(buffer, Payload.Measured, Run, 123_456, 987_654_321, 7, size);
        Assert.Equal(Math.Max(size, length), length);
        Assert.Matches("^~pb~[MWS][a-z0-9.]+$", Encoding.ASCII.GetString(buffer, 0, length));

        Assert.Equal(PayloadStatus.Ours, Payload.TryParse(buffer.AsSpan(0, length), Run, size, out var kind, out var seq, out var ticks, out var sender));
        Assert.Equal(Payload.Measured, kind);
        Assert.Equal(123_456, seq);
        Assert.Equal(987_654_321, ticks);
        Assert.Equal(7, sender);
    }

    [Fact]
    public void Another_runs_message_is_foreign_and_damage_is_garbled()
    {
        var text = new byte[64];
        var length = Payload.Write(text, Payload.Warmup, Run, 42, 1000, 0, 64);
        var message = text.AsSpan(0, length);

        Assert.Equal(PayloadStatus.Foreign, Payload.TryParse(message, "zz99"u8, 64, out _, out _, out _, out _));
        Assert.Equal(PayloadStatus.Garbled, Payload.TryParse(message[..^1], Run, 64, out _, out _, out _, out _));
        Assert.Equal(PayloadStatus.Garbled, Payload.TryParse(message, Run, 65, out _, out _, out _, out _));

        var padDamaged = message.ToArray();
        padDamaged[^5] = (byte)'z';
        Assert.Equal(PayloadStatus.Garbled, Payload.TryParse(padDamaged, Run, 64, out _, out _, out _, out _));

        var kindDamaged = message.ToArray();
        kindDamaged[4] = (byte)'X';
        Assert.Equal(PayloadStatus.Garbled, Payload.TryParse(kindDamaged, Run, 64, out _, out _, out _, out _));

        var numberDamaged = message.ToArray();
        numberDamaged[10] = (byte)'x';
        Assert.Equal(PayloadStatus.Garbled, Payload.TryParse(numberDamaged, Run, 64, out _, out _, out _, out _));
    }
}
