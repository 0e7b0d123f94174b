namespace Parley.Web.Tests;

/// <summary>Every browser test class shares one Chromium and runs one class at a time.</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
