using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Passkeys.Authenticator;
using Passkeys.Authenticator.Client;
using Passkeys.Server.Tests.Integration;
using Passkeys.Server.Tests.Storage;

namespace Passkeys.Server.Tests.NativeApps;

/// <summary>
/// A tenant's native apps over real HTTP: an Android app (the software client in Credential
/// Manager's role) signs up and in, the admin API's assetlinks.json is what lets it, and a wrong
/// signing certificate is refused; one derived class per store.
/// </summary>
public abstract class NativeAppTests : IDisposable
{
    private static readonly byte[] AppCertificate = SHA256.HashData("the app's release signing certificate"u8);
    private static readonly byte[] OtherCertificate = SHA256.HashData("a repackager's certificate"u8);

    /// <summary>Where the servers keep their data.</summary>
    protected abstract ServerStorage Storage { get; }

    private async Task<TestServer> StartAsync() => await Storage.StartAsync(await Storage.NewAsync());

    private static string Fingerprint(byte[] sha256) => string.Join(':', sha256.Select(b => b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)));

    private static object Tenant(object nativeApps, params string[] origins) => new
    {
        id = "shop", rpId = "localhost", rpName = "Shop", origins = origins.Length == 0 ? [TestServer.Origin] : origins, selfSignUp = true, nativeApps,
    };

    private static object OneAndroidApp => new { android = new[] { new { packageName = "com.example.shop", sha256CertFingerprints = new[] { Fingerprint(AppCertificate).ToLowerInvariant() } } } };

    // The app as Credential Manager runs it: its assetlinks.json is what the domain serves, which here
    // is what the admin API generated (the operator copies it there).
    private static SoftwareClient AndroidClient(Func<string, CancellationToken, Task<string>> assetLinks, byte[] certificate, SoftwareAuthenticator? authenticator = null) =>
        new(authenticator ?? new SoftwareAuthenticator(), SoftwareClientOptions.ForAndroidApp(new AndroidApp
        {
            PackageName = "com.example.shop", SigningCertificateSha256 = certificate, AssetLinks = assetLinks,
        }));

    private static Func<string, CancellationToken, Task<string>> ServedBy(TestServer server, string tenant = "shop") => async (rpId, _) =>
    {
        Assert.Equal("localhost", rpId);
        return (await server.OkJsonAsync(HttpMethod.Get, $"/v1/admin/tenants/{tenant}/native-apps/assetlinks.json", bearer: TestServer.AdminKey)).ToJsonString();
    };

    [StoreFact]
    public async Task An_android_app_listed_by_the_tenant_signs_up_and_signs_in_with_its_origin()
    {
        await using var server = await StartAsync();
        var created = await server.OkJsonAsync(HttpMethod.Post, "/v1/admin/tenants", Tenant(OneAndroidApp), bearer: TestServer.AdminKey);
        // The documented object and nothing else (no helper properties), fingerprints in keytool's upper case.
        Assert.Equal(["android", "ios"], created["nativeApps"]!.AsObject().Select(p => p.Key));
        Assert.Equal(Fingerprint(AppCertificate), (string)created["nativeApps"]!["android"]![0]!["sha256CertFingerprints"]![0]!);

        var links = await server.OkJsonAsync(HttpMethod.Get, "/v1/admin/tenants/shop/native-apps/assetlinks.json", bearer: TestServer.AdminKey);
        Assert.Equal("delegate_permission/common.get_login_creds", (string)links[0]!["relation"]![0]!);
        Assert.Equal("android_app", (string)links[0]!["target"]!["namespace"]!);
        Assert.Equal("com.example.shop", (string)links[0]!["target"]!["package_name"]!);

        var app = AndroidClient(ServedBy(server), AppCertificate);
        var signUp = await server.SignUpAsync(app, "alice", "shop");
        var signIn = await server.SignInAsync(app, tenant: "shop");
        Assert.Equal((string)signUp["user"]!["id"]!, (string)signIn["user"]!["id"]!);

        // The same passkey works from the web too: one account, both clients.
        var web = TestServer.NewClient(authenticator: app.Authenticator);
        await server.SignInAsync(web, tenant: "shop");
    }

    [StoreFact]
    public async Task An_app_signed_with_another_certificate_is_refused_with_the_origin_error()
    {
        await using var server = await StartAsync();
        await server.OkJsonAsync(HttpMethod.Post, "/v1/admin/tenants", Tenant(OneAndroidApp), bearer: TestServer.AdminKey);
        var genuine = AndroidClient(ServedBy(server), AppCertificate);
        await server.SignUpAsync(genuine, "alice", "shop");

        // A domain whose assetlinks.json also names the repackaged build passes the phone's check;
        // the tenant does not list that certificate, so the server refuses the origin.
        var repackaged = AndroidClient((_, _) => Task.FromResult(new JsonArray(new JsonObject
        {
            ["relation"] = new JsonArray("delegate_permission/common.get_login_creds"),
            ["target"] = new JsonObject { ["namespace"] = "android_app", ["package_name"] = "com.example.shop", ["sha256_cert_fingerprints"] = new JsonArray(Fingerprint(OtherCertificate)) },
        }).ToJsonString()), OtherCertificate, genuine.Authenticator);
        var begin = await server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/shop/authentication/begin", new { });
        var response = await repackaged.GetAsync(begin["options"]!.ToJsonString());
        using var finish = await server.SendAsync(HttpMethod.Post, "/v1/tenants/shop/authentication/finish", TestServer.FinishBody(begin, response));
        await TestServer.ProblemAsync(finish, 400, 203); // OriginNotAllowed
    }

    [StoreFact]
    public async Task An_android_origin_listed_directly_among_the_origins_is_accepted()
    {
        await using var server = await StartAsync();
        var origin = "android:apk-key-hash:" + Convert.ToBase64String(AppCertificate).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        await server.OkJsonAsync(HttpMethod.Post, "/v1/admin/tenants", Tenant(new { }, TestServer.Origin, origin), bearer: TestServer.AdminKey);
        var links = (string)"[{\"relation\":[\"delegate_permission/common.get_login_creds\"],\"target\":{\"namespace\":\"android_app\",\"package_name\":\"com.example.shop\",\"sha256_cert_fingerprints\":[\"" + Fingerprint(AppCertificate) + "\"]}}]";
        var app = AndroidClient((_, _) => Task.FromResult(links), AppCertificate);
        await server.SignUpAsync(app, "alice", "shop");
        await server.SignInAsync(app, tenant: "shop");
    }

    [StoreFact]
    public async Task Native_apps_survive_a_restart_and_an_ios_app_adds_the_rp_origin()
    {
        var storage = await Storage.NewAsync();
        await using (var first = await Storage.StartAsync(storage))
        {
            await first.OkJsonAsync(HttpMethod.Post, "/v1/admin/tenants", Tenant(new { ios = new[] { "ABCDE12345.com.example.shop" } }, "http://localhost:5080"),
                bearer: TestServer.AdminKey);
        }
        await using var server = await Storage.StartAsync(storage);
        var aasa = await server.OkJsonAsync(HttpMethod.Get, "/v1/admin/tenants/shop/native-apps/apple-app-site-association", bearer: TestServer.AdminKey);
        Assert.Equal("ABCDE12345.com.example.shop", (string)aasa["webcredentials"]!["apps"]![0]!);

        // An iOS app's requests carry https://{rpId}, which the tenant's web origins do not include.
        var ios = TestServer.NewClient("https://localhost");
        await server.SignUpAsync(ios, "alice", "shop");
        await server.SignInAsync(ios, tenant: "shop");
    }

    public void Dispose()
    {
        Storage.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>The native-app suite on SQLite.</summary>
public sealed class SqliteNativeAppTests : NativeAppTests
{
    protected override ServerStorage Storage { get; } = new SqliteStorage();
}

/// <summary>The native-app suite on PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresNativeAppTests(PostgresCluster cluster) : NativeAppTests
{
    protected override ServerStorage Storage { get; } = new PostgresStorage(cluster);
}
