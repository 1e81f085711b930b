using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.Playwright;
using Passkeys.Browser.Tests.Infrastructure;
using Passkeys.Server.Metadata;

namespace Passkeys.Browser.Tests;

/// <summary>
/// The account page shows the provider's icon from FIDO metadata next to a passkey (issue 15,
/// "recognisable passkeys"). Chromium's virtual authenticator always has AAGUID
/// 01020304-0506-0708-0102-030405060708, which no real BLOB lists, so the server reads a BLOB signed
/// here by a test root that names it: the server verifies it exactly as it would FIDO's.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ProviderIconTests(BrowserFixture fixture) : IDisposable
{
    private const string VirtualAuthenticatorAaguid = "01020304-0506-0708-0102-030405060708";
    // A valid 1×1 PNG: the browser must decode it (naturalWidth), which it does only if the CSP allows data: images.
    private const string Png = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

    private readonly string _folder = Directory.CreateTempSubdirectory("passkeys-icon-").FullName;

    public void Dispose() => Directory.Delete(_folder, true);

    [BrowserFact]
    public async Task A_passkey_whose_provider_has_a_metadata_icon_shows_it_beside_its_name()
    {
        var (blob, root) = WriteSignedBlob();
        await using var server = await ServerHost.StartAsync(null, "--Passkeys:Metadata:BlobPath=" + blob, "--Passkeys:Metadata:RootCertificatePath=" + root);
        Assert.True(await server.Services<MetadataRefreshService>().RefreshAsync(CancellationToken.None));
        await using var tab = await fixture.NewTabAsync(nameof(A_passkey_whose_provider_has_a_metadata_icon_shows_it_beside_its_name), AuthenticatorOptions.Platform, server: server);
        await tab.RunAsync(async () =>
        {
            var page = tab.Page;
            await page.GotoAsync("/signup.html");
            await page.GetByLabel("Choose a username").FillAsync("icon-" + Guid.NewGuid().ToString("N")[..8]);
            await page.GetByLabel("This device").CheckAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Create account with a passkey" }).ClickAsync();
            await page.WaitForURLAsync("**/account.html?welcome=1");

            var passkey = page.Locator("#passkeys > li.passkey");
            await Assertions.Expect(passkey).ToHaveCountAsync(1);
            await Assertions.Expect(passkey.Locator(".provider")).ToHaveTextAsync("Passkeys Test Authenticator");
            var icon = passkey.Locator(".passkey-head img.provider-icon");
            await Assertions.Expect(icon).ToBeVisibleAsync();
            await Assertions.Expect(icon).ToHaveAttributeAsync("alt", "");
            Assert.Equal(Png, await icon.GetAttributeAsync("src"));
            // Decoded (so the page's CSP lets data: images through) and drawn at 28 px.
            Assert.Equal(1, await icon.EvaluateAsync<int>("img => img.complete ? img.naturalWidth : -1"));
            var box = await icon.BoundingBoxAsync();
            Assert.Equal(28, box!.Width, 0.5);
            Assert.Equal(28, box.Height, 0.5);
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            await Axe.AssertNoViolationsAsync(page, "account-with-provider-icon");
        });
    }

    // A test root and a signer it issued, a BLOB naming the virtual authenticator, signed ES256 with x5c.
    private (string Blob, string Root) WriteSignedBlob()
    {
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var signerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var now = DateTimeOffset.UtcNow;
        var rootRequest = new CertificateRequest("CN=Passkeys Browser Test MDS Root", rootKey, HashAlgorithmName.SHA256);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var root = rootRequest.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));
        var signerRequest = new CertificateRequest("CN=Passkeys Browser Test MDS Signer", signerKey, HashAlgorithmName.SHA256);
        using var signer = signerRequest.Create(root, now.AddDays(-1), now.AddMonths(6), [5, 6, 7, 8]);

        var payload = new
        {
            legalHeader = "test",
            no = 1,
            nextUpdate = DateOnly.FromDateTime(now.UtcDateTime.AddDays(30)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            entries = new[]
            {
                new
                {
                    aaguid = VirtualAuthenticatorAaguid,
                    metadataStatement = new { description = "Passkeys Test Authenticator", icon = Png, attestationTypes = new[] { "basic_full" } },
                    statusReports = new[] { new { status = "FIDO_CERTIFIED_L1", effectiveDate = "2024-01-01" } },
                },
            },
        };
        string header = B64(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["alg"] = "ES256",
            ["typ"] = "JWT",
            ["x5c"] = new[] { Convert.ToBase64String(signer.RawData) },
        }));
        string body = B64(JsonSerializer.SerializeToUtf8Bytes(payload));
        byte[] signature = signerKey.SignData(System.Text.Encoding.ASCII.GetBytes(header + "." + body), HashAlgorithmName.SHA256);
        var blobPath = Path.Combine(_folder, "blob.jwt");
        var rootPath = Path.Combine(_folder, "root.pem");
        File.WriteAllText(blobPath, $"{header}.{body}.{B64(signature)}");
        File.WriteAllText(rootPath, root.ExportCertificatePem());
        return (blobPath, rootPath);
    }

    private static string B64(byte[] data) => Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
