namespace Passkeys.Tests;

/// <summary>
/// The ../shared locator (tests/Shared/SharedData.cs) on temporary directory trees, since the real
/// shared data cannot be hidden: where it looks, in what order, and when a missing directory is a
/// skip rather than a failure.
/// </summary>
public sealed class SharedDataTests : IDisposable
{
    private readonly DirectoryInfo _root = System.IO.Directory.CreateTempSubdirectory("passkeys-shareddata-");

    public void Dispose() => _root.Delete(recursive: true);

    private string Make(params string[] parts)
    {
        string path = Path.Combine([_root.FullName, .. parts]);
        System.IO.Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>A shared data directory (one with vectors/) at root/<paramref name="name"/>.</summary>
    private string SharedAt(string name)
    {
        Make(name, "vectors");
        return Path.Combine(_root.FullName, name);
    }

    /// <summary>A checkout at root/repo (with Passkeys.slnx) and the test binaries deep inside it.</summary>
    private string Checkout()
    {
        string repo = Make("repo");
        File.WriteAllText(Path.Combine(repo, "Passkeys.slnx"), "<Solution />");
        return Make("repo", "tests", "Passkeys.Tests", "bin", "Debug", "net10.0");
    }

    [Fact]
    public void Finds_shared_beside_the_checkout_before_the_fallback()
    {
        string bin = Checkout();
        string beside = SharedAt("shared");
        string fallback = SharedAt("fallback");
        Assert.Equal(beside, SharedData.Find(bin, fallback));
    }

    [Fact]
    public void Falls_back_when_nothing_is_beside_the_checkout()
    {
        string bin = Checkout();
        string fallback = SharedAt("fallback");
        Assert.Equal(fallback, SharedData.Find(bin, fallback));
    }

    [Fact]
    public void A_shared_directory_without_vectors_does_not_count()
    {
        string bin = Checkout();
        Make("shared", "metadata");
        Assert.Null(SharedData.Find(bin, Path.Combine(_root.FullName, "absent")));
    }

    [Fact]
    public void Falls_back_when_no_Passkeys_slnx_is_found_above_the_binaries()
    {
        string bin = Make("elsewhere", "bin");
        SharedAt("shared");
        string fallback = SharedAt("fallback");
        Assert.Equal(fallback, SharedData.Find(bin, fallback));
        Assert.Null(SharedData.Find(bin, Path.Combine(_root.FullName, "absent")));
    }

    [Fact]
    public void Missing_shared_data_is_skipped_with_a_message_unless_CI_is_true()
    {
        Assert.Contains("CI=true", SharedData.SkipReasonFor(null, ci: false), StringComparison.Ordinal);
        Assert.Null(SharedData.SkipReasonFor(null, ci: true));
        Assert.Null(SharedData.SkipReasonFor(_root.FullName, ci: false));
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("TRUE", true)]
    [InlineData("True", true)]
    [InlineData("1", false)]
    [InlineData("false", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void CI_means_the_variable_is_true_in_any_case(string? value, bool ci) =>
        Assert.Equal(ci, SharedData.IsCiValue(value));

    [Fact]
    public void Path_names_what_is_missing_when_there_is_no_shared_data()
    {
        if (SharedData.Directory is null)
        {
            Assert.Contains(SharedData.MissingMessage, Assert.Throws<InvalidOperationException>(() => SharedData.Path("vectors")).Message, StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(Path.Combine(SharedData.Directory, "vectors"), SharedData.Path("vectors"));
            Assert.Equal(SharedData.Path("vectors"), SharedData.VectorsDirectory);
        }
    }
}
