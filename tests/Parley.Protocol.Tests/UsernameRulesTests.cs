namespace Parley.Protocol.Tests;

public sealed class UsernameRulesTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("alice")]
    [InlineData("Bob_1")]
    [InlineData("x-y.z")]
    [InlineData("...")]
    [InlineData("0123456789")]
    [InlineData("abcdefghijklmnopqrstuvwxyzABCDEF")]
    public void Accepts_names_of_allowed_characters(string name)
    {
        Assert.Null(UsernameRules.Validate(name));
    }

    [Theory]
    [InlineData("al ice")]
    [InlineData(" alice")]
    [InlineData("alice!")]
    [InlineData("a/b")]
    [InlineData("\u00e9lan")]
    [InlineData("\u540d\u524d")]
    [InlineData("a\u0000")]
    [InlineData("a\nb")]
    [InlineData("a\u001b[31m")]
    [InlineData("\uff41")]
    [InlineData("\U0001F600")]
    public void Rejects_other_characters(string name)
    {
        Assert.Contains("letters, digits", UsernameRules.Validate(name), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Rejects_empty_names(string? name)
    {
        Assert.Contains("empty", UsernameRules.Validate(name), StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_names_longer_than_32()
    {
        Assert.Equal(32, UsernameRules.MaxLength);
        Assert.Null(UsernameRules.Validate(new string('a', 32)));
        Assert.Contains("at most 32", UsernameRules.Validate(new string('a', 33)), StringComparison.Ordinal);
    }

    [Fact]
    public void Names_compare_ignoring_case()
    {
        Assert.True(UsernameRules.Comparer.Equals("Alice", "aLICE"));
        Assert.Equal(UsernameRules.Comparer.GetHashCode("Alice"), UsernameRules.Comparer.GetHashCode("ALICE"));
        Assert.False(UsernameRules.Comparer.Equals("alice", "alice_"));
    }
}
