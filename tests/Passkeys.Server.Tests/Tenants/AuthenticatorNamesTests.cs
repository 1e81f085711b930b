using Passkeys.Server.Tenants;

namespace Passkeys.Server.Tests.Tenants;

/// <summary>The provider names the account page shows for a passkey.</summary>
public sealed class AuthenticatorNamesTests
{
    [Fact]
    public void Every_provider_the_library_knows_has_a_name_in_the_server_view()
    {
        var unnamed = Passkeys.Attestation.Metadata.AuthenticatorNames.KnownProviders.Where(g => AuthenticatorNames.For(g) is null).ToList();
        Assert.Empty(unnamed);
        Assert.Equal("Microsoft Authenticator (Android)", AuthenticatorNames.For(Guid.Parse("de1e552d-db1d-4423-a619-566b625cdc84")));
        Assert.Equal("Google Password Manager", AuthenticatorNames.For(Guid.Parse("ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4")));
    }

    [Fact]
    public void The_zero_AAGUID_and_unknown_ones_have_no_name()
    {
        Assert.Null(AuthenticatorNames.For(Guid.Empty));
        Assert.Null(AuthenticatorNames.For(Guid.Parse("01020304-0506-0708-0102-030405060708"))); // Chromium's virtual authenticator
    }
}
