using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Passkeys.Authenticator;
using Passkeys.Authenticator.Client;
using Passkeys.Server.Metadata;
using Passkeys.Server.Tests.Integration;

namespace Passkeys.Server.Tests.Metadata;

/// <summary>
/// Passkeys:Metadata over real Kestrel with FIDO's real MDS3 BLOB no. 121 (../shared/metadata),
/// at a fixed clock inside its validity: names and icons in credential views, the on-disk cache a
/// restart uses when the source is unreachable, and the last good BLOB kept when a refresh fails.
/// </summary>
public sealed class MetadataSourceTests : IDisposable
{
    private static readonly Guid YubiKey5Nfc = Guid.Parse("fa2b99dc-9e39-4257-8f92-4a30d23c4118");
    private static readonly TimeProvider December2024 = new FixedTime(new DateTimeOffset(2024, 12, 2, 12, 0, 0, TimeSpan.Zero));

    private readonly SqliteStorage _storage = new();
    private readonly string _folder = Directory.CreateTempSubdirectory("passkeys-mds-").FullName;

    public void Dispose()
    {
        _storage.Dispose();
        Directory.Delete(_folder, true);
    }

    private static string Blob => SharedData.Path("metadata", "mds3-blob.jwt");
    private static string Root => SharedData.Path("metadata", "mds3-root-GlobalSign_Root_CA_R3.pem");

    private static SoftwareClient YubiKeyClient() =>
        TestServer.NewClient(authenticator: new SoftwareAuthenticator(new SoftwareAuthenticatorOptions { Aaguid = YubiKey5Nfc }));

    private Task<TestServer> StartAsync(StorageLocation location, LogSink logs, params string[] metadata) =>
        _storage.StartWithAsync(location, b =>
        {
            b.Services.AddSingleton(December2024);
            b.Logging.AddProvider(logs);
        }, [.. metadata, "--Passkeys:Metadata:RootCertificatePath=" + Root]);

    private static async Task<JsonNode> MyCredentialAsync(TestServer server, string token) =>
        (await server.OkJsonAsync(HttpMethod.Get, "/v1/tenants/default/me/credentials", bearer: token))["credentials"]!.AsArray().Single()!;

    private static void AssertYubiKey(JsonNode credential)
    {
        Assert.Equal("YubiKey 5 Series with NFC", (string?)credential["authenticatorName"]);
        Assert.StartsWith("data:image/png;base64,iVBORw0KGgo", (string?)credential["authenticatorIcon"], StringComparison.Ordinal);
    }

    [SharedDataFact]
    public async Task A_file_source_names_the_authenticator_and_survives_a_bad_file_and_a_restart_without_it()
    {
        var blob = Path.Combine(_folder, "blob.jwt");
        File.Copy(Blob, blob);
        var location = await _storage.NewAsync();
        var logs = new LogSink();
        var client = YubiKeyClient();
        await using (var server = await StartAsync(location, logs, "--Passkeys:Metadata:BlobPath=" + blob))
        {
            Assert.True(await server.Services<MetadataRefreshService>().RefreshAsync(CancellationToken.None));
            var signUp = await server.SignUpAsync(client, "alice");
            AssertYubiKey(signUp["credential"]!);
            AssertYubiKey(await MyCredentialAsync(server, (string)signUp["token"]!));
            var detail = await server.OkJsonAsync(HttpMethod.Get, $"/v1/admin/tenants/default/users/{(string)signUp["user"]!["id"]!}", bearer: TestServer.AdminKey);
            AssertYubiKey(detail["credentials"]![0]!);

            // Cached in the data folder, owner-only like everything else there.
            var cache = Path.Combine(_storage.DataFolderOf(location)!, MetadataRefreshService.CacheFolderName);
            Assert.Equal(File.ReadAllText(Blob), File.ReadAllText(Path.Combine(cache, "mds3-blob.jwt")));
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(cache, "mds3-blob.jwt")));
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(cache));
            }

            // A BLOB whose signature does not verify is refused; the last good one stays in use, and the failure is logged.
            File.WriteAllText(blob, Tampered(File.ReadAllText(Blob)));
            Assert.False(await server.Services<MetadataRefreshService>().RefreshAsync(CancellationToken.None));
            AssertYubiKey(await MyCredentialAsync(server, (string)(await server.SignInAsync(client))["token"]!));
            Assert.Contains(logs.Messages, m => m.Contains("refresh failed", StringComparison.Ordinal) && m.Contains("keeping BLOB no 121", StringComparison.Ordinal));
        }

        // Restarted with the source gone: the cached copy is in use from the start.
        File.Delete(blob);
        await using (var server = await StartAsync(location, new LogSink(), "--Passkeys:Metadata:BlobPath=" + blob))
        {
            var token = (string)(await server.SignInAsync(client))["token"]!;
            AssertYubiKey(await MyCredentialAsync(server, token));
            Assert.False(await server.Services<MetadataRefreshService>().RefreshAsync(CancellationToken.None));
            AssertYubiKey(await MyCredentialAsync(server, token));
        }
    }

    [SharedDataFact]
    public async Task A_url_source_keeps_the_last_good_blob_when_a_refresh_fails_and_a_restart_works_offline()
    {
        await using var mirror = await Mirror.StartAsync(File.ReadAllText(Blob));
        var location = await _storage.NewAsync();
        var logs = new LogSink();
        var client = YubiKeyClient();
        var url = "--Passkeys:Metadata:BlobUrl=" + mirror.Url;
        await using (var server = await StartAsync(location, logs, url))
        {
            Assert.True(await server.Services<MetadataRefreshService>().RefreshAsync(CancellationToken.None));
            Assert.True(mirror.Requests > 0);
            var token = (string)(await server.SignUpAsync(client, "bob"))["token"]!;
            AssertYubiKey(await MyCredentialAsync(server, token));

            mirror.Body = Tampered(mirror.Body);
            Assert.False(await server.Services<MetadataRefreshService>().RefreshAsync(CancellationToken.None));
            AssertYubiKey(await MyCredentialAsync(server, token));
            Assert.Contains(logs.Messages, m => m.Contains("is not valid", StringComparison.Ordinal) && m.Contains("keeping BLOB no 121", StringComparison.Ordinal));

            mirror.Status = HttpStatusCode.ServiceUnavailable;
            Assert.False(await server.Services<MetadataRefreshService>().RefreshAsync(CancellationToken.None));
            AssertYubiKey(await MyCredentialAsync(server, token));
            Assert.Contains(logs.Messages, m => m.Contains("returned 503", StringComparison.Ordinal));
        }

        var gone = mirror.Url;
        await mirror.DisposeAsync();
        await using (var server = await StartAsync(location, new LogSink(), "--Passkeys:Metadata:BlobUrl=" + gone))
        {
            var token = (string)(await server.SignInAsync(client))["token"]!;
            AssertYubiKey(await MyCredentialAsync(server, token));
            Assert.False(await server.Services<MetadataRefreshService>().RefreshAsync(CancellationToken.None));
            AssertYubiKey(await MyCredentialAsync(server, token));
        }
    }

    [Fact]
    public async Task Without_a_source_names_come_from_the_providers_file_only()
    {
        var location = await _storage.NewAsync();
        await using var server = await _storage.StartAsync(location, December2024);
        var signUp = await server.SignUpAsync(YubiKeyClient(), "carol");
        var credential = await MyCredentialAsync(server, (string)signUp["token"]!);
        Assert.Null((string?)credential["authenticatorName"]);
        Assert.Null((string?)credential["authenticatorIcon"]);
        Assert.False(await server.Services<MetadataRefreshService>().RefreshAsync(CancellationToken.None));
        Assert.False(Directory.Exists(Path.Combine(_storage.DataFolderOf(location)!, MetadataRefreshService.CacheFolderName)));
    }

    [Theory]
    [InlineData("--Passkeys:Metadata:BlobUrl=http://mds.example/blob", "Passkeys:Metadata:BlobUrl")]
    [InlineData("--Passkeys:Metadata:BlobUrl=not a url", "Passkeys:Metadata:BlobUrl")]
    [InlineData("--Passkeys:Metadata:RefreshInterval=00:00:10", "Passkeys:Metadata:RefreshInterval")]
    [InlineData("--Passkeys:Metadata:RootCertificatePath=/nonexistent/root.pem", "cannot be read")]
    [InlineData("--Passkeys:Metadata:RootCertificatePath=", "RootCertificatePath is empty")]
    [InlineData("--Passkeys:Metadata:BlobUrl=https://mds3.fidoalliance.org/", "both set")]
    public void Wrong_metadata_settings_are_refused_naming_the_setting(string setting, string expected)
    {
        var blob = "--Passkeys:Metadata:BlobPath=" + Path.Combine(_folder, "blob.jwt");
        string[] args = setting.Contains("BlobUrl", StringComparison.Ordinal) && !setting.Contains("https", StringComparison.Ordinal)
            ? [setting, "--Passkeys:Metadata:RootCertificatePath=" + Root]
            : setting.Contains("RootCertificatePath", StringComparison.Ordinal) ? [blob, setting]
            : [blob, "--Passkeys:Metadata:RootCertificatePath=" + Root, setting];
        var e = Assert.Throws<OptionsValidationException>(() => PasskeysServerApp.Build(
            ["--urls", "http://127.0.0.1:0", "--Passkeys:DataDirectory=" + _folder, "--Logging:LogLevel:Default=None", .. args]));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_root_certificate_without_a_source_is_refused()
    {
        var e = Assert.Throws<OptionsValidationException>(() => PasskeysServerApp.Build(
            ["--urls", "http://127.0.0.1:0", "--Passkeys:DataDirectory=" + _folder, "--Passkeys:Metadata:RootCertificatePath=/x.pem"]));
        Assert.Contains("no source is", e.Message, StringComparison.Ordinal);
    }

    // Changes one character of the signature: the BLOB no longer verifies.
    private static string Tampered(string jwt)
    {
        var chars = jwt.Trim().ToCharArray();
        int i = chars.Length - 10;
        chars[i] = chars[i] == 'A' ? 'B' : 'A';
        return new string(chars);
    }

    /// <summary>A real HTTP listener on loopback serving a BLOB, as a local mirror of FIDO's MDS would.</summary>
    private sealed class Mirror : IAsyncDisposable
    {
        private WebApplication _app = null!;
        private int _requests;

        public string Body { get; set; } = "";
        public HttpStatusCode Status { get; set; } = HttpStatusCode.OK;
        public int Requests => _requests;
        public string Url { get; private set; } = "";

        public static async Task<Mirror> StartAsync(string body)
        {
            var mirror = new Mirror { Body = body };
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            mirror._app = builder.Build();
            mirror._app.MapGet("/blob", (HttpContext http) =>
            {
                Interlocked.Increment(ref mirror._requests);
                return mirror.Status == HttpStatusCode.OK ? Results.Text(mirror.Body, "application/octet-stream") : Results.StatusCode((int)mirror.Status);
            });
            await mirror._app.StartAsync();
            mirror.Url = mirror._app.Urls.First() + "/blob";
            return mirror;
        }

        public async ValueTask DisposeAsync()
        {
            if (_app is not null)
            {
                await _app.StopAsync();
                await _app.DisposeAsync();
                _app = null!;
            }
        }
    }
}

/// <summary>A clock that stands still (inside the real BLOB's validity).</summary>
internal sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
