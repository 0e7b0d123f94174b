namespace Parley.Protocol.Tests;

public sealed class TextCommandTests
{
    [Theory]
    [InlineData("/msg bob hello there", "msg", "bob hello there")]
    [InlineData("/MSG Bob Hi", "msg", "Bob Hi")]
    [InlineData("/who", "who", "")]
    [InlineData("/who   ", "who", "")]
    [InlineData("/msg    bob  hi  ", "msg", "bob  hi  ")]
    [InlineData("/msg\tbob hi", "msg", "bob hi")]
    [InlineData("/", "", "")]
    [InlineData("/ bob", "", "bob")]
    [InlineData("//text", "/text", "")]
    [InlineData("/\u00c9T\u00c9 x", "\u00e9t\u00e9", "x")]
    public void Parses_name_and_rest(string line, string name, string rest)
    {
        Assert.True(TextCommand.TryParse(line, out var command));
        Assert.Equal(new TextCommand(name, rest), command);
    }

    [Theory]
    [InlineData("")]
    [InlineData("hello")]
    [InlineData(" /who")]
    [InlineData("\\who")]
    public void Lines_not_starting_with_a_slash_are_not_commands(string line)
    {
        Assert.False(TextCommand.TryParse(line, out var command));
        Assert.Equal(default, command);
    }

    [Theory]
    [InlineData("bob hello world", 2, new[] { "bob", "hello world" })]
    [InlineData("bob hello   world  ", 2, new[] { "bob", "hello   world" })]
    [InlineData("   bob    hello", 2, new[] { "bob", "hello" })]
    [InlineData("bob", 2, new[] { "bob" })]
    [InlineData("a b c d", 3, new[] { "a", "b", "c d" })]
    [InlineData("a\tb c", 2, new[] { "a", "b c" })]
    [InlineData("  one two  ", 1, new[] { "one two" })]
    [InlineData("red   text with  spaces", 2, new[] { "red", "text with  spaces" })]
    public void Splits_arguments_keeping_the_rest_in_the_last_one(string rest, int max, string[] expected)
    {
        Assert.Equal(expected, TextCommand.SplitArguments(rest, max));
    }

    [Theory]
    [InlineData("", 2)]
    [InlineData("   \t ", 2)]
    [InlineData("bob hi", 0)]
    [InlineData("bob hi", -1)]
    public void Nothing_to_split_gives_no_arguments(string rest, int max)
    {
        Assert.Empty(TextCommand.SplitArguments(rest, max));
    }
}
