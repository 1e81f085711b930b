namespace Passkeys.Cli.Tests;

/// <summary>
/// Parse errors exit 2 for every command (docs/cli.md: 2 is bad usage), with the problem and the
/// command's help on stderr, never System.CommandLine's exit 1; --help still exits 0. Each run goes
/// through <see cref="PasskeysCli"/> as the executable does; none of them gets as far as an action.
/// </summary>
public sealed class UsageErrorTests
{
    private sealed record Run(int Exit, string Output, string Error);

    private static Run Passkeys(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = PasskeysCli.Run(PasskeysCli.CreateRoot(), args, output, error);
        return new Run(exit, output.ToString(), error.ToString());
    }

    private static void AssertUsageError(Run run, string mentions, string helpFor)
    {
        Assert.True(run.Exit == 2, $"exit {run.Exit}: {run.Error}");
        Assert.Equal("", run.Output);
        Assert.StartsWith("passkeys: ", run.Error, StringComparison.Ordinal);
        Assert.Contains(mentions, run.Error, StringComparison.Ordinal);
        Assert.EndsWith($"See '{helpFor} --help'.", run.Error.TrimEnd(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("passkeys vectors", "vectors", "some-folder", "--bogus")]
    [InlineData("passkeys inspect", "inspect", "response.json", "--bogus")]
    [InlineData("passkeys metadata", "metadata", "blob.jwt", "--bogus")]
    [InlineData("passkeys fuzz", "fuzz", "--bogus")]
    [InlineData("passkeys authenticator create", "authenticator", "create", "--options", "o.json", "--origin", "https://a.example", "--bogus")]
    [InlineData("passkeys authenticator get", "authenticator", "get", "--options", "o.json", "--origin", "https://a.example", "--bogus")]
    [InlineData("passkeys authenticator list", "authenticator", "list", "--bogus")]
    [InlineData("passkeys authenticator export-root", "authenticator", "export-root", "--bogus")]
    [InlineData("passkeys authenticator register", "authenticator", "register", "--server", "http://127.0.0.1:1", "--username", "ann", "--bogus")]
    [InlineData("passkeys authenticator sign-in", "authenticator", "sign-in", "--server", "http://127.0.0.1:1", "--bogus")]
    [InlineData("passkeys bench", "bench", "--url", "http://127.0.0.1:1", "--tenant", "default", "--bogus")]
    [InlineData("passkeys admin tenants list", "admin", "tenants", "list", "--bogus")]
    [InlineData("passkeys admin users list", "admin", "users", "list", "--tenant", "t", "--bogus")]
    [InlineData("passkeys", "--bogus")]
    public void An_unknown_option_exits_2_naming_it(string helpFor, params string[] args) =>
        AssertUsageError(Passkeys(args), "'--bogus'", helpFor);

    [Theory]
    [InlineData("passkeys vectors", "'vectors'", "vectors")]
    [InlineData("passkeys inspect", "'inspect'", "inspect")]
    [InlineData("passkeys metadata", "'metadata'", "metadata", "--root", "root.pem")]
    [InlineData("passkeys authenticator create", "'--options'", "authenticator", "create", "--origin", "https://a.example")]
    [InlineData("passkeys authenticator create", "'--origin'", "authenticator", "create", "--options", "o.json")]
    [InlineData("passkeys authenticator get", "'--options'", "authenticator", "get", "--origin", "https://a.example")]
    [InlineData("passkeys authenticator register", "'--username'", "authenticator", "register", "--server", "http://127.0.0.1:1")]
    [InlineData("passkeys authenticator sign-in", "'--server'", "authenticator", "sign-in")]
    [InlineData("passkeys bench", "'--url'", "bench", "--tenant", "default")]
    [InlineData("passkeys bench", "'--tenant'", "bench", "--url", "http://127.0.0.1:1")]
    [InlineData("passkeys admin users list", "'--tenant'", "admin", "users", "list")]
    [InlineData("passkeys admin tenants show", "'show'", "admin", "tenants", "show")]
    [InlineData("passkeys admin tenants create", "'--origin'", "admin", "tenants", "create", "--id", "x", "--rp-id", "x.example", "--rp-name", "X")]
    [InlineData("passkeys admin api-keys revoke", "'revoke'", "admin", "api-keys", "revoke", "--tenant", "t")]
    public void A_missing_required_argument_or_option_exits_2_naming_it(string helpFor, string mentions, params string[] args) =>
        AssertUsageError(Passkeys(args), mentions, helpFor);

    [Theory]
    [InlineData("passkeys fuzz", "'abc'", "fuzz", "--seconds", "abc")]
    [InlineData("passkeys authenticator create", "'Foo'", "authenticator", "create", "--options", "o.json", "--origin", "https://a.example", "--alg", "Foo")]
    [InlineData("passkeys admin users list", "--limit must be a number from 1 to 1000", "admin", "users", "list", "--tenant", "t", "--limit", "0")]
    public void A_value_that_does_not_parse_exits_2_on_one_line(string helpFor, string mentions, params string[] args)
    {
        var run = Passkeys(args);
        AssertUsageError(run, mentions, helpFor);
        // The problem on one line (a list of choices included), then the pointer to help.
        Assert.Equal(2, run.Error.TrimEnd().Split('\n').Length);
    }

    [Theory]
    [InlineData("passkeys", "vectors, inspect, authenticator, metadata, fuzz, bench, admin")]
    [InlineData("passkeys authenticator", "create, get, list, export-root, register, sign-in", "authenticator")]
    [InlineData("passkeys admin", "tenants, api-keys, users, signing-keys, audit, funnel", "admin")]
    [InlineData("passkeys admin tenants", "list, show, create, update, delete", "admin", "tenants")]
    public void A_group_without_its_subcommand_exits_2_listing_them(string helpFor, string subcommands, params string[] args) =>
        AssertUsageError(Passkeys(args), $"'{helpFor}' needs a subcommand: {subcommands}", helpFor);

    [Theory]
    [InlineData("--help")]
    [InlineData("vectors", "--help")]
    [InlineData("inspect", "--help")]
    [InlineData("metadata", "--help")]
    [InlineData("fuzz", "--help")]
    [InlineData("authenticator", "--help")]
    [InlineData("authenticator", "create", "--help")]        // required options missing: help still wins
    [InlineData("authenticator", "register", "-h")]
    [InlineData("bench", "--help")]
    [InlineData("admin", "--help")]
    [InlineData("admin", "users", "list", "--help")]
    [InlineData("admin", "tenants", "show", "--help")]
    public void Help_exits_0_on_stdout(params string[] args)
    {
        var run = Passkeys(args);
        Assert.True(run.Exit == 0, $"exit {run.Exit}: {run.Error}");
        Assert.Contains("Usage:", run.Output, StringComparison.Ordinal);
        Assert.Equal("", run.Error);
    }
}
