using Parley.Cli.Chat;

namespace Parley.Client.Tests;

public sealed class TerminalTextTests
{
    [Theory]
    [InlineData("plain text, ünïcödé, 日本語, 😀", "plain text, ünïcödé, 日本語, 😀")]
    [InlineData("\u001b[2Jclear", "^[[2Jclear")]
    [InlineData("bell\u0007 tab\t nul\0 del\u007f", "bell^G tab^I nul^@ del^?")]
    [InlineData("line\r\nbreak", "line^M^Jbreak")]
    [InlineData("c1\u009b31m", "c1<U+009B>31m")]
    [InlineData("\u202eesrever \u2066iso\u2069", "<U+202E>esrever <U+2066>iso<U+2069>")]
    [InlineData("sep\u2028arator", "sep<U+2028>arator")]
    public void Escapes_everything_a_terminal_would_obey(string text, string shown) =>
        Assert.Equal(shown, TerminalText.Escape(text));

    [Fact]
    public void Replaces_half_a_surrogate_pair()
    {
        // Built at run time: attribute arguments cannot carry an unpaired surrogate.
        var text = "lone " + (char)0xd800 + " half";
        Assert.Equal("lone \ufffd half", TerminalText.Escape(text));
    }

    [Theory]
    [InlineData("abc", 3)]
    [InlineData("日本", 4)]
    [InlineData("😀", 2)]
    [InlineData("e\u0301", 1)]
    [InlineData("", 0)]
    public void Measures_columns(string text, int width) => Assert.Equal(width, TerminalText.Width(text));
}
