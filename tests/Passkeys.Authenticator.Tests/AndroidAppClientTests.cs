using System.Security.Cryptography;
using System.Text.Json;
using Passkeys.Authenticator.Client;
using Passkeys.Encoding;
using static Passkeys.Authenticator.Tests.TestKit;

namespace Passkeys.Authenticator.Tests;

/// <summary>
/// The software client as an Android app (Credential Manager's role): the app origin in
/// clientDataJSON, and the RP ID allowed only by the domain's Digital Asset Links.
/// </summary>
public class AndroidAppClientTests
{
    private static readonly byte[] Certificate = SHA256.HashData("release key"u8);

    private static string Statement(string package, string fingerprint, string relation = AssetLinksValidator.GetLoginCreds) =>
        $$$"""[{"relation":["{{{relation}}}"],"target":{"namespace":"android_app","package_name":"{{{package}}}","sha256_cert_fingerprints":["{{{fingerprint}}}"]}}]""";

    private static SoftwareClient App(string assetLinks, List<string>? asked = null) =>
        new(new SoftwareAuthenticator(), SoftwareClientOptions.ForAndroidApp(new AndroidApp
        {
            PackageName = "com.example.app",
            SigningCertificateSha256 = Certificate,
            AssetLinks = (rpId, _) =>
            {
                asked?.Add(rpId);
                return Task.FromResult(assetLinks);
            },
        }));

    private static string Fingerprint => string.Join(':', Certificate.Select(b => b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public async Task A_listed_app_registers_and_signs_in_with_its_apk_key_hash_origin()
    {
        var asked = new List<string>();
        var client = App(Statement("com.example.app", Fingerprint.ToLowerInvariant()), asked);
        var created = JsonDocument.Parse(await client.CreateAsync(CreationOptions()));
        var clientData = JsonDocument.Parse(Base64UrlStrict.Decode(created.RootElement.GetProperty("response").GetProperty("clientDataJSON").GetString(), "clientDataJSON"));
        Assert.Equal("android:apk-key-hash:" + Base64UrlStrict.Encode(Certificate), clientData.RootElement.GetProperty("origin").GetString());
        Assert.NotNull(await client.GetAsync(RequestOptions()));
        Assert.Equal([RpId, RpId], asked);
    }

    [Theory]
    [InlineData("com.example.other", null, null)]                                            // another package
    [InlineData("com.example.app", "00:11", null)]                                           // another certificate
    [InlineData("com.example.app", null, "delegate_permission/common.handle_all_urls")]     // app links only, not credentials
    [InlineData(null, null, null)]                                                           // not JSON statements at all
    public async Task An_app_the_domain_does_not_list_for_credentials_is_a_SecurityError(string? package, string? fingerprint, string? relation)
    {
        var links = package is null ? "<html>not found</html>" : Statement(package, fingerprint ?? Fingerprint, relation ?? AssetLinksValidator.GetLoginCreds);
        var client = App(links);
        Assert.Equal("SecurityError", (await Assert.ThrowsAsync<WebAuthnClientException>(() => client.CreateAsync(CreationOptions()))).Name);
        Assert.Equal("SecurityError", (await Assert.ThrowsAsync<WebAuthnClientException>(() => client.GetAsync(RequestOptions()))).Name);
    }

    [Fact]
    public async Task An_app_request_without_an_rp_id_is_a_TypeError()
    {
        var client = App(Statement("com.example.app", Fingerprint));
        var options = RequestOptions().Replace($"\"rpId\":\"{RpId}\",", "", StringComparison.Ordinal);
        Assert.Equal("TypeError", (await Assert.ThrowsAsync<WebAuthnClientException>(() => client.GetAsync(options))).Name);
    }
}
