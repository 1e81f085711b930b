using System.Security.Cryptography.X509Certificates;
using Passkeys.Attestation.Metadata;

namespace Passkeys.Tests.Attestation;

/// <summary>Authenticator icons from FIDO metadata: only bounded raster image data URIs are passed on.</summary>
public class AuthenticatorIconTests
{
    private static readonly Guid YubiKey5Nfc = Guid.Parse("fa2b99dc-9e39-4257-8f92-4a30d23c4118");
    private static readonly Guid SamsungPass = Guid.Parse("53414d53-554e-4700-0000-000000000000");   // its MDS icon is SVG
    private static readonly Guid EssSmartCard = Guid.Parse("5343502d-5343-5343-6172-644649444f32");  // its MDS icon is 87 KiB

    private static readonly string Png = "data:image/png;base64," + Convert.ToBase64String([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]);

    private static MetadataBlob RealBlob() =>
        MetadataBlobLoader.LoadFile(SharedData.Path("metadata", "mds3-blob.jwt"), new MetadataBlobOptions
        {
            RootCertificate = X509Certificate2.CreateFromPem(File.ReadAllText(SharedData.Path("metadata", "mds3-root-GlobalSign_Root_CA_R3.pem"))),
            TimeProvider = new FixedTimeProvider(new DateTimeOffset(2024, 12, 2, 12, 0, 0, TimeSpan.Zero)),
        });

    [SharedDataFact]
    public void Icons_come_from_the_metadata_entry_when_they_are_safe()
    {
        var blob = RealBlob();
        var icon = AuthenticatorNames.FindIcon(YubiKey5Nfc, blob);
        Assert.NotNull(icon);
        Assert.StartsWith("data:image/png;base64,iVBORw0KGgo", icon, StringComparison.Ordinal);
        Assert.Equal(blob.Find(YubiKey5Nfc)!.Icon, icon);
        Assert.Null(AuthenticatorNames.FindIcon(SamsungPass, blob));
        Assert.NotNull(blob.Find(SamsungPass)!.Icon);
        Assert.Null(AuthenticatorNames.FindIcon(EssSmartCard, blob));
        Assert.NotNull(blob.Find(EssSmartCard)!.Icon);
        Assert.Null(AuthenticatorNames.FindIcon(Guid.Empty, blob));
        Assert.Null(AuthenticatorNames.FindIcon(YubiKey5Nfc, null));
        // The providers file names Samsung Pass; metadata only adds what the file lacks.
        Assert.Equal("Samsung Pass", AuthenticatorNames.Find(SamsungPass, blob));
        Assert.Equal("Apple Passwords", AuthenticatorNames.Find(Guid.Parse("fbfc3007-154e-4ecc-8c0b-6e020557d7bd"), blob));
    }

    [Fact]
    public void A_raster_image_data_uri_is_passed_on()
    {
        Assert.Equal(Png, AuthenticatorIcon.Validate(Png));
        string jpeg = "data:image/jpeg;base64," + Convert.ToBase64String([0xFF, 0xD8, 0xFF, 0xE0]);
        Assert.Equal(jpeg, AuthenticatorIcon.Validate(jpeg));
        string webp = "data:image/webp;base64," + Convert.ToBase64String("RIFF\0\0\0\0WEBPVP8 "u8.ToArray());
        Assert.Equal(webp, AuthenticatorIcon.Validate(webp));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("https://vendor.example/icon.png")]                       // a tracking request from every account page
    [InlineData("javascript:alert(1)")]
    [InlineData("data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9ImFsZXJ0KDEpIi8+")] // SVG can carry script
    [InlineData("data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==")]
    [InlineData("data:image/png,%89PNG")]                                  // not base64
    [InlineData("data:image/png;charset=utf-8;base64,iVBORw0KGgo=")]      // parameters
    [InlineData("data:image/png;base64,not base64!")]
    [InlineData("data:image/png;base64,/9j/4A==")]                        // JPEG bytes labelled PNG
    [InlineData("data:image/webp;base64,UklGRgAAAABYWFhY")]               // RIFF but not WEBP
    [InlineData("data:image/png;base64")]
    public void Anything_else_is_dropped(string? icon) => Assert.Null(AuthenticatorIcon.Validate(icon));

    [Fact]
    public void An_icon_past_the_bound_is_dropped()
    {
        var big = new byte[AuthenticatorIcon.MaxLength];
        new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }.CopyTo(big, 0);
        string uri = "data:image/png;base64," + Convert.ToBase64String(big);
        Assert.True(uri.Length > AuthenticatorIcon.MaxLength);
        Assert.Null(AuthenticatorIcon.Validate(uri));
        string atBound = "data:image/png;base64," + Convert.ToBase64String(big.AsSpan(0, (AuthenticatorIcon.MaxLength - 22) / 4 * 3));
        Assert.True(atBound.Length <= AuthenticatorIcon.MaxLength);
        Assert.Equal(atBound, AuthenticatorIcon.Validate(atBound));
    }
}
