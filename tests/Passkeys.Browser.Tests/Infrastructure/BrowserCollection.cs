namespace Passkeys.Browser.Tests.Infrastructure;

/// <summary>All browser tests share one server and one Chromium (and so run one after another).</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
