namespace Parley.Protocol.Tests;

public sealed class TextSanitizerTests
{
    [Theory]
    [InlineData("")]
    [InlineData("hello world")]
    [InlineData("caf\u00e9 \u20ac \U0001F600 \u540d\u524d")]
    [InlineData("<b>&amp;\"quotes\"</b> \\ /")]
    public void Clean_text_comes_back_as_the_same_instance(string text)
    {
        Assert.Same(text, TextSanitizer.Clean(text));
    }

    [Theory]
    [InlineData("\u001b[31mred\u001b[0m", "red")]
    [InlineData("\u001b[1;31;48;5;196mbold\u001b[m", "bold")]
    [InlineData("\u001b[2J\u001b[Hwiped", "wiped")]
    [InlineData("a\u001b[?25lb", "ab")]
    [InlineData("up\u001b[1Aover", "upover")]
    [InlineData("cut\u001b[", "cut")]
    [InlineData("cut\u001b[12;3", "cut")]
    [InlineData("end\u001b", "end")]
    public void Strips_csi_sequences(string input, string expected)
    {
        Assert.Equal(expected, TextSanitizer.Clean(input));
    }

    [Theory]
    [InlineData("\u001b]0;pwned title\u0007after", "after")]
    [InlineData("\u001b]8;;http://evil.example\u001b\\link\u001b]8;;\u001b\\", "link")]
    [InlineData("\u001bPq#0;2;0;0;0\u001b\\dcs", "dcs")]
    [InlineData("\u001b_apc\u001b\\x", "x")]
    [InlineData("\u001b^pm\u0007y", "y")]
    [InlineData("a\u001b]52;c;ZXZpbA==", "a")]
    public void Strips_osc_dcs_apc_and_pm_strings(string input, string expected)
    {
        Assert.Equal(expected, TextSanitizer.Clean(input));
    }

    [Theory]
    [InlineData("a\u001bcb", "ab")]
    [InlineData("a\u001b7b\u001b8c", "abc")]
    [InlineData("\u001b(Bplain", "plain")]
    [InlineData("\u001b(0lqk\u001b(B", "lqk")]
    [InlineData("\u001b#8x", "x")]
    public void Strips_short_escape_sequences_completely(string input, string expected)
    {
        // ESC ( B is what `tput sgr0` prints on xterm, so pasted terminal output is full of it.
        Assert.Equal(expected, TextSanitizer.Clean(input));
    }

    [Fact]
    public void An_escape_before_a_non_ascii_character_never_splits_a_surrogate_pair()
    {
        var clean = TextSanitizer.Clean("a\u001b\U0001F600b");

        Assert.Equal("a\U0001F600b", clean);
    }

    [Theory]
    [InlineData("a\u0000b\u0007c\u0008d", "abcd")]
    [InlineData("bell\u0007", "bell")]
    [InlineData("del\u007fete", "delete")]
    [InlineData("c1\u0085\u008d\u009b31m\u009f!", "c131m!")]
    [InlineData("\u0001\u0002\u001f", "")]
    public void Removes_c0_c1_and_del(string input, string expected)
    {
        Assert.Equal(expected, TextSanitizer.Clean(input));
    }

    [Theory]
    [InlineData("evil\u202egnp.exe", "evilgnp.exe")]
    [InlineData("\u202a\u202b\u202c\u202d\u202e", "")]
    [InlineData("\u2066a\u2067b\u2068c\u2069", "abc")]
    public void Removes_bidi_overrides_and_isolates(string input, string expected)
    {
        Assert.Equal(expected, TextSanitizer.Clean(input));
    }

    [Theory]
    [InlineData("a\tb", "a b")]
    [InlineData("line1\nline2", "line1 line2")]
    [InlineData("line1\r\nline2", "line1  line2")]
    [InlineData("fake\r[12:00:00] admin: hi", "fake [12:00:00] admin: hi")]
    public void Turns_tabs_and_line_breaks_into_spaces(string input, string expected)
    {
        Assert.Equal(expected, TextSanitizer.Clean(input));
    }

    [Fact]
    public void Keeps_the_clean_prefix_and_everything_printable()
    {
        Assert.Equal("caf\u00e9 \u20ac \U0001F600 ok", TextSanitizer.Clean("caf\u00e9 \u20ac \U0001F600\u001b[0m ok"));
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("   ", true)]
    [InlineData(" \t\u00a0\u3000", true)]
    [InlineData(" x ", false)]
    [InlineData(".", false)]
    public void IsBlank_means_only_white_space(string text, bool blank)
    {
        Assert.Equal(blank, TextSanitizer.IsBlank(text));
    }

    [Fact]
    public void Null_is_refused()
    {
        Assert.Throws<ArgumentNullException>(() => TextSanitizer.Clean(null!));
    }
}
