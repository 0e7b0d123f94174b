namespace Parley.Protocol.Tests;

public sealed class ChatColorsTests
{
    [Theory]
    [InlineData("red", "red")]
    [InlineData("RED", "red")]
    [InlineData("Magenta", "magenta")]
    [InlineData("white", "white")]
    public void Normalizes_known_colours(string input, string expected)
    {
        Assert.Equal(expected, ChatColors.Normalize(input));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("purple")]
    [InlineData(" red")]
    [InlineData("\u001b[31m")]
    public void Refuses_anything_else(string? input)
    {
        Assert.Null(ChatColors.Normalize(input));
    }

    [Fact]
    public void Every_listed_colour_is_its_own_canonical_name()
    {
        Assert.Equal(["red", "green", "yellow", "blue", "magenta", "cyan", "white"], ChatColors.All);
        Assert.All(ChatColors.All, c => Assert.Equal(c, ChatColors.Normalize(c.ToUpperInvariant())));
    }
}
