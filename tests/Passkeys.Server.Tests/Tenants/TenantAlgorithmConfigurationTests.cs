using Passkeys.Server.Configuration;

namespace Passkeys.Server.Tests.Tenants;

/// <summary>The default tenant's <c>Algorithms</c> from configuration follow the admin API's rules, or the server does not start.</summary>
public sealed class TenantAlgorithmConfigurationTests
{
    [Theory]
    [InlineData(null, true)]
    [InlineData("ES256,EdDSA", true)]
    [InlineData("-7,ml-dsa-44", true)]
    [InlineData("", false)]
    [InlineData("ES256,-7", false)]
    [InlineData("RS1", false)]
    [InlineData("ES256,SHA1", false)]
    public void The_default_tenants_list_is_validated(string? list, bool valid)
    {
        var options = new PasskeysServerOptions();
        options.DefaultTenant.Algorithms = list?.Split(',', StringSplitOptions.RemoveEmptyEntries);
        var result = new PasskeysServerOptionsValidator().Validate(null, options);
        Assert.Equal(valid, result.Succeeded);
        if (!valid)
        {
            Assert.Contains("Passkeys:DefaultTenant: algorithms", result.FailureMessage, StringComparison.Ordinal);
        }
    }
}
