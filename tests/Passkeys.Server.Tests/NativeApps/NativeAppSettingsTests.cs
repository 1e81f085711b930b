using Passkeys.Server.Tests.Integration;

namespace Passkeys.Server.Tests.NativeApps;

/// <summary>Every malformed native-app setting is refused with its own code, naming the field; nothing is stored.</summary>
public sealed class NativeAppSettingsTests
{
    private const string Good = "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89";

    public static TheoryData<string, int, string> Refused => new()
    {
        // Android origins among the origins: only the exact shape.
        { """{"origins":["android:apk-key-hash:short"]}""", 1150, "android:apk-key-hash:short" },
        { """{"origins":["android:apk-key-hash:q83vASNFZ4mrze8BI0VniavN7wEjRWeJq83vASNFZ4k="]}""", 1150, "android:apk-key-hash:" },
        { """{"origins":["android:apk-key-hash:q83vASNFZ4mrze8BI0VniavN7wEjRWeJq83vASNFZ4l"]}""", 1150, "android:apk-key-hash:" }, // spare bits set
        { """{"origins":["android:apk-key-sha1:q83vASNFZ4mrze8BI0VniavN7wEjRWeJq83vASNFZ4k"]}""", 1150, "android:apk-key-sha1" },
        // Other schemes are no app origin this server knows: malformed web origins, as before.
        { """{"origins":["ios:bundle-id:com.example"]}""", 1001, "ios:bundle-id" },
        { """{"origins":["shop.example/path"]}""", 1001, "shop.example/path" },
        // Android apps.
        { """{"nativeApps":{"android":[{"packageName":"shop","sha256CertFingerprints":["GOOD"]}]}}""", 1151, "nativeApps.android[0].packageName" },
        { """{"nativeApps":{"android":[{"packageName":"com.example.shop","sha256CertFingerprints":[]}]}}""", 1151, "nativeApps.android[0].sha256CertFingerprints" },
        { """{"nativeApps":{"android":[{"packageName":"com.example.shop","sha256CertFingerprints":["AB:CD"]}]}}""", 1151, "nativeApps.android[0].sha256CertFingerprints[0]" },
        { """{"nativeApps":{"android":[{"packageName":"com.example.shop","sha256CertFingerprints":["GOOD","GOOD"]}]}}""", 1151, "nativeApps.android[0].sha256CertFingerprints[1]" },
        { """{"nativeApps":{"android":[{"packageName":"com.example.shop","sha256CertFingerprints":["GOOD"]},{"packageName":"com.example.shop","sha256CertFingerprints":["GOOD"]}]}}""", 1151, "nativeApps.android[1].packageName" },
        // iOS apps.
        { """{"nativeApps":{"ios":["com.example.shop"]}}""", 1152, "nativeApps.ios[0]" },
        { """{"nativeApps":{"ios":["abcde12345.com.example.shop"]}}""", 1152, "nativeApps.ios[0]" },
        { """{"nativeApps":{"ios":["ABCDE12345.com.example.shop","ABCDE12345.com.example.shop"]}}""", 1152, "nativeApps.ios[1]" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task A_malformed_setting_is_refused_with_its_code_and_nothing_is_stored(string change, int code, string named)
    {
        await using var server = await TestServer.StartAsync();
        var body = System.Text.Json.Nodes.JsonNode.Parse("""{"id":"shop","rpId":"localhost","rpName":"Shop","origins":["http://localhost:5080"]}""")!.AsObject();
        foreach (var (key, value) in System.Text.Json.Nodes.JsonNode.Parse(change.Replace("GOOD", Good, StringComparison.Ordinal))!.AsObject())
        {
            body[key] = value?.DeepClone();
        }
        using var response = await server.SendAsync(HttpMethod.Post, "/v1/admin/tenants", body.ToJsonString(), bearer: TestServer.AdminKey);
        var problem = await TestServer.ProblemAsync(response, 400, code);
        Assert.Contains(named, (string)problem["detail"]!, StringComparison.Ordinal);
        using var get = await server.SendAsync(HttpMethod.Get, "/v1/admin/tenants/shop", bearer: TestServer.AdminKey);
        await TestServer.ProblemAsync(get, 404, 1008);
    }

    [Fact]
    public async Task A_web_origin_beside_app_origins_still_must_be_inside_the_rp_id()
    {
        await using var server = await TestServer.StartAsync();
        using var response = await server.SendAsync(HttpMethod.Post, "/v1/admin/tenants", new
        {
            id = "shop", rpId = "example.com", rpName = "Shop",
            origins = new[] { "https://shop.example.org", "android:apk-key-hash:q83vASNFZ4mrze8BI0VniavN7wEjRWeJq83vASNFZ4k" },
        }, bearer: TestServer.AdminKey);
        await TestServer.ProblemAsync(response, 400, 1052);
    }
}
