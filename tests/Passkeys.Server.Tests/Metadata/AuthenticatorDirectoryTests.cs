using System.Security.Cryptography.X509Certificates;
using Passkeys.Attestation.Metadata;
using Passkeys.Server.Metadata;

namespace Passkeys.Server.Tests.Metadata;

/// <summary>The provider names and icons credential views carry: the library's one source, with the BLOB in use.</summary>
public sealed class AuthenticatorDirectoryTests
{
    private static readonly Guid YubiKey5Nfc = Guid.Parse("fa2b99dc-9e39-4257-8f92-4a30d23c4118");

    [Fact]
    public void Without_metadata_every_provider_the_library_knows_is_named_and_nothing_has_an_icon()
    {
        var directory = new AuthenticatorDirectory();
        foreach (var aaguid in AuthenticatorNames.KnownProviders)
        {
            Assert.Equal(AuthenticatorNames.Find(aaguid, null), directory.NameOf(aaguid));
            Assert.NotNull(directory.NameOf(aaguid));
            Assert.Null(directory.IconOf(aaguid));
        }
        Assert.Equal("Apple Passwords", directory.NameOf(Guid.Parse("fbfc3007-154e-4ecc-8c0b-6e020557d7bd")));
        Assert.Equal("Microsoft Authenticator (Android)", directory.NameOf(Guid.Parse("de1e552d-db1d-4423-a619-566b625cdc84")));
        Assert.Null(directory.NameOf(YubiKey5Nfc));
        Assert.Null(directory.NameOf(Guid.Empty));
        Assert.Null(directory.NameOf(Guid.Parse("01020304-0506-0708-0102-030405060708"))); // Chromium's virtual authenticator
    }

    [SharedDataFact]
    public void With_a_blob_in_use_metadata_adds_names_and_icons()
    {
        var blob = MetadataBlobLoader.LoadFile(SharedData.Path("metadata", "mds3-blob.jwt"), new MetadataBlobOptions
        {
            RootCertificate = X509Certificate2.CreateFromPem(File.ReadAllText(SharedData.Path("metadata", "mds3-root-GlobalSign_Root_CA_R3.pem"))),
            TimeProvider = new FixedTime(new DateTimeOffset(2024, 12, 2, 12, 0, 0, TimeSpan.Zero)),
        });
        var directory = new AuthenticatorDirectory();
        directory.Use(blob);
        Assert.Same(blob, directory.Blob);
        Assert.Equal("YubiKey 5 Series with NFC", directory.NameOf(YubiKey5Nfc));
        Assert.StartsWith("data:image/png;base64,", directory.IconOf(YubiKey5Nfc), StringComparison.Ordinal);
        Assert.Equal("Google Password Manager", directory.NameOf(Guid.Parse("ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4")));
    }
}
