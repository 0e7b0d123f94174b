using System.Buffers;
using System.Text;

namespace Parley.Protocol.Tests;

public sealed class Utf8TextTests
{
    // One of each encoded length: 1 (a), 2 (é), 3 (€), 4 (U+1F600) bytes.
    private const string Mixed = "a\u00e9\u20ac\U0001F600z";

    public static TheoryData<string, byte[]> Invalid => new()
    {
        { "overlong NUL (C0 80)", [0xC0, 0x80] },
        { "overlong slash (C1 BF)", [0xC1, 0xBF] },
        { "overlong 3-byte NUL", [0xE0, 0x80, 0x80] },
        { "overlong 3-byte slash", [0xE0, 0x80, 0xAF] },
        { "overlong 4-byte", [0xF0, 0x80, 0x80, 0x80] },
        { "overlong 4-byte for U+FFFF", [0xF0, 0x8F, 0xBF, 0xBF] },
        { "lone high surrogate U+D800", [0xED, 0xA0, 0x80] },
        { "lone low surrogate U+DFFF", [0xED, 0xBF, 0xBF] },
        { "surrogate pair encoded separately (CESU-8)", [0xED, 0xA0, 0xBD, 0xED, 0xB8, 0x80] },
        { "beyond U+10FFFF", [0xF4, 0x90, 0x80, 0x80] },
        { "5-byte form", [0xF8, 0x88, 0x80, 0x80, 0x80] },
        { "F5 lead byte", [0xF5, 0x80, 0x80, 0x80] },
        { "FE", [0xFE] },
        { "FF", [0xFF] },
        { "lone continuation byte", [0x61, 0x80, 0x62] },
        { "truncated 2-byte", [0x61, 0xC3] },
        { "truncated 3-byte", [0xE2, 0x82] },
        { "truncated 4-byte", [0xF0, 0x9F, 0x98] },
        { "truncated 3-byte followed by ASCII", [0xE2, 0x82, 0x61] },
        { "Latin-1 e-acute", [0x63, 0x61, 0x66, 0xE9] },
    };

    [Theory]
    [InlineData("")]
    [InlineData("plain ascii")]
    [InlineData(Mixed)]
    [InlineData("\U0010FFFF\uFFFF\u0800\u07FF\u0080\u007F")]
    public void Decodes_valid_utf8(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);

        Assert.True(Utf8Text.TryDecode(bytes, out var decoded));
        Assert.Equal(text, decoded);
        Assert.True(Utf8Text.TryDecode(new ReadOnlySequence<byte>(bytes), out decoded));
        Assert.Equal(text, decoded);
    }

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Rejects_invalid_utf8_instead_of_replacing_it(string what, byte[] bytes)
    {
        Assert.False(Utf8Text.TryDecode(bytes, out var text), what);
        Assert.Equal(string.Empty, text);
    }

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Rejects_invalid_utf8_split_across_segments(string what, byte[] bytes)
    {
        for (var cut = 0; cut <= bytes.Length; cut++)
        {
            Assert.False(Utf8Text.TryDecode(Segments.Split(bytes, cut), out var text), $"{what}, cut at {cut}");
            Assert.Equal(string.Empty, text);
        }
    }

    [Fact]
    public void A_multi_byte_character_split_across_segments_decodes_at_every_split_point()
    {
        var bytes = Encoding.UTF8.GetBytes(Mixed);
        for (var a = 0; a <= bytes.Length; a++)
        {
            for (var b = a; b <= bytes.Length; b++)
            {
                Assert.True(Utf8Text.TryDecode(Segments.Split(bytes, a, b), out var text), $"cuts at {a},{b}");
                Assert.Equal(Mixed, text);
            }
        }
    }

    [Fact]
    public void Decodes_one_byte_segments()
    {
        var bytes = Encoding.UTF8.GetBytes(Mixed);

        Assert.True(Utf8Text.TryDecode(Segments.Of([.. bytes.Select(b => new[] { b })]), out var text));
        Assert.Equal(Mixed, text);
    }

    [Fact]
    public void Decodes_a_long_multi_segment_line()
    {
        // Larger than the pooled buffers usually handed out, so a wrong length would show.
        var text = string.Concat(Enumerable.Repeat(Mixed, 1000));
        var bytes = Encoding.UTF8.GetBytes(text);
        var cuts = Enumerable.Range(1, 30).Select(i => i * 331).ToArray();

        Assert.True(Utf8Text.TryDecode(Segments.Split(bytes, cuts), out var decoded));
        Assert.Equal(text, decoded);
    }

    [Fact]
    public void A_byte_order_mark_is_kept_as_text()
    {
        Assert.True(Utf8Text.TryDecode([0xEF, 0xBB, 0xBF, 0x61], out var text));
        Assert.Equal("\uFEFFa", text);
    }
}
