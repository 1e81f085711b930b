using Passkeys.TestSupport;

namespace Passkeys.Browser.Tests.Samples;

/// <summary>
/// The samples run as someone trying them runs them (their built dll, in its own process): a
/// setting left out stops the start with one line naming it and exit code 1, not a stack trace.
/// </summary>
public sealed class SampleStartTests
{
    [Fact]
    public async Task PasswordApp_without_an_api_key_says_where_to_get_one()
    {
        var (exit, _, error) = await DotnetProcess.RunToExitAsync("PasswordApp.dll", ["--urls", "http://127.0.0.1:0", "--PasswordApp:ApiKey="], "PasswordApp__");
        Assert.Equal(1, exit);
        Assert.Equal("PasswordApp did not start: PasswordApp:ApiKey is required: create one with POST /v1/admin/tenants/{tenant}/api-keys " +
            "(see samples/PasswordApp/README.md).\n", error);
    }

    [Fact]
    public async Task OidcApp_without_a_client_id_names_the_setting()
    {
        var (exit, _, error) = await DotnetProcess.RunToExitAsync("OidcApp.dll", ["--urls", "http://127.0.0.1:0"], "OidcApp__");
        Assert.Equal(1, exit);
        Assert.Equal("OidcApp did not start: OidcApp:ClientId is required (see samples/OidcApp/README.md).\n", error);
    }
}
