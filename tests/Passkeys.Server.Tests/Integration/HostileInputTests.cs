using System.Net;
using Text = System.Text.Encoding;
using System.Text.Json.Nodes;
using Passkeys.Server.Observability;
using Passkeys.Server.Tests.Storage;

namespace Passkeys.Server.Tests.Integration;

/// <summary>
/// Hostile strings in every request body the server reads (issue 10): escaped lone surrogates, NUL,
/// bytes that are not UTF-8 (invalid, overlong, encoded surrogates), as values and as member names.
/// Each is a 4xx problem with a stable code over real Kestrel, and no such input can keep its audit
/// event from being written: one derived class per store (PostgreSQL text cannot hold NUL).
/// </summary>
public abstract class HostileInputTests : IAsyncLifetime
{
    private TestServer _server = null!;

    protected abstract Task<TestServer> StartServerAsync();

    public async Task InitializeAsync() => _server = await StartServerAsync();
    public async Task DisposeAsync() => await _server.DisposeAsync();

    /// <summary>What replaces a placeholder: JSON string contents (escapes), or raw bytes inside the quotes.</summary>
    public static IReadOnlyList<(string Name, byte[] Bytes)> HostileContents { get; } =
    [
        ("lone high surrogate", Text.ASCII.GetBytes(@"\ud800")),
        ("lone low surrogate", Text.ASCII.GetBytes(@"\udc00")),
        ("reversed pair", Text.ASCII.GetBytes(@"\udc00\ud800")),
        ("escaped NUL", Text.ASCII.GetBytes(@"a\u0000b")),
        ("escaped CR LF", Text.ASCII.GetBytes(@"a\r\nb")),
        ("invalid byte", [0x61, 0xFF, 0x62]),
        ("overlong slash", [0xC0, 0xAF]),
        ("overlong NUL", [0xC0, 0x80]),
        ("encoded surrogate", [0xED, 0xA0, 0x80]),
    ];

    private sealed record Call(HttpMethod Method, string Path, string Template, string? Bearer = null, string? ApiKey = null);

    /// <summary>Every /v1 endpoint that reads a body, with a body whose string values are placeholders (§).</summary>
    private async Task<IReadOnlyList<Call>> EveryBodyAsync()
    {
        var apiKey = await _server.CreateApiKeyAsync();
        var client = TestServer.NewClient();
        var signedUp = await _server.SignUpAsync(client, "alice");
        string token = (string)signedUp["token"]!, userId = (string)signedUp["user"]!["id"]!, credential = (string)signedUp["credential"]!["id"]!;
        return
        [
            new(HttpMethod.Post, "/v1/tenants/default/registration/begin", """{"user":{"name":"§","displayName":"§"},"authenticatorAttachment":"§","recoveryGrant":"§"}"""),
            new(HttpMethod.Post, "/v1/tenants/default/registration/begin", """{"user":{"id":"§","name":"§","displayName":"§"}}""", ApiKey: apiKey),
            new(HttpMethod.Post, "/v1/tenants/default/registration/finish", """{"ceremonyId":"§","response":{"id":"§","type":"§"},"name":"§"}"""),
            new(HttpMethod.Post, "/v1/tenants/default/authentication/begin", """{"username":"§"}"""),
            new(HttpMethod.Post, "/v1/tenants/default/authentication/finish", """{"ceremonyId":"§","response":{"id":"§","rawId":"§"}}"""),
            new(HttpMethod.Post, "/v1/tenants/default/step-up/begin", """{"transaction":"§","userId":"§"}""", ApiKey: apiKey),
            new(HttpMethod.Post, "/v1/tenants/default/step-up/begin", """{"transaction":"§"}""", Bearer: token),
            new(HttpMethod.Post, "/v1/tenants/default/step-up/finish", """{"ceremonyId":"§","response":{}}"""),
            new(HttpMethod.Patch, $"/v1/tenants/default/users/{userId}/credentials/{credential}", """{"name":"§"}""", ApiKey: apiKey),
            new(HttpMethod.Patch, $"/v1/tenants/default/me/credentials/{credential}", """{"name":"§"}""", Bearer: token),
            new(HttpMethod.Post, "/v1/tenants/default/recovery/redeem", """{"username":"§","code":"§"}"""),
            new(HttpMethod.Post, "/v1/tenants/default/sessions/refresh", """{"refreshToken":"§"}"""),
            new(HttpMethod.Post, "/v1/tenants/default/sessions/revoke", """{"refreshToken":"§"}"""),
            new(HttpMethod.Post, "/v1/admin/tenants", """{"id":"§","rpId":"§","rpName":"§","origins":["§"],"relatedOrigins":["§"],"userVerification":"§","attestation":"§"}""", Bearer: TestServer.AdminKey),
            new(HttpMethod.Put, "/v1/admin/tenants/default", """{"rpId":"§","rpName":"§","origins":["§"]}""", Bearer: TestServer.AdminKey),
            new(HttpMethod.Post, "/v1/admin/tenants/default/api-keys", """{"name":"§"}""", Bearer: TestServer.AdminKey),
        ];
    }

    private async Task<HttpResponseMessage> SendBytesAsync(Call call, byte[] body)
    {
        using var request = new HttpRequestMessage(call.Method, call.Path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        if (call.Bearer is not null) request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", call.Bearer);
        if (call.ApiKey is not null) request.Headers.Add("X-Api-Key", call.ApiKey);
        return await _server.Http.SendAsync(request);
    }

    /// <summary>The template with placeholder <paramref name="index"/> replaced by <paramref name="hostile"/> and the others by "x".</summary>
    private static byte[] Fill(string template, int index, byte[] hostile)
    {
        var parts = template.Split('§');
        var bytes = new List<byte>();
        for (int i = 0; i < parts.Length; i++)
        {
            bytes.AddRange(Text.UTF8.GetBytes(parts[i]));
            if (i < parts.Length - 1)
            {
                bytes.AddRange(i == index ? hostile : "x"u8.ToArray());
            }
        }
        return [.. bytes];
    }

    private static async Task AssertClientErrorAsync(HttpResponseMessage response, string what)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode is >= 400 and < 500, $"{what} → {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull((int?)JsonNode.Parse(text)!["code"]);
    }

    [StoreFact]
    public async Task Hostile_strings_in_every_value_and_member_name_of_every_body_are_4xx_problems()
    {
        foreach (var call in await EveryBodyAsync())
        {
            int placeholders = call.Template.Count(c => c == '§');
            foreach (var (name, hostile) in HostileContents)
            {
                for (int i = 0; i < placeholders; i++)
                {
                    using var response = await SendBytesAsync(call, Fill(call.Template, i, hostile));
                    // NUL and CR/LF are valid JSON text: where a field allows any text a 2xx is fine, never a 5xx.
                    if (name is "escaped NUL" or "escaped CR LF" && response.IsSuccessStatusCode)
                    {
                        continue;
                    }
                    await AssertClientErrorAsync(response, $"{call.Method} {call.Path} placeholder {i} = {name}");
                }
                // As a member name.
                byte[] asName = [.. "{\""u8, .. hostile, .. "\":1,"u8, .. Fill(call.Template[1..], -1, [])];
                using var named = await SendBytesAsync(call, asName);
                if (!(name is "escaped NUL" or "escaped CR LF" && named.IsSuccessStatusCode))
                {
                    await AssertClientErrorAsync(named, $"{call.Method} {call.Path} member name = {name}");
                }
            }
        }
        await _server.OkJsonAsync(HttpMethod.Get, "/health");
    }

    /// <summary>Re-encodes the response's clientDataJSON with <paramref name="member"/>'s value replaced by raw JSON string contents.</summary>
    private static string WithHostileClientData(string responseJson, string member, string contents)
    {
        var node = JsonNode.Parse(responseJson)!;
        var clientData = Passkeys.Encoding.Base64UrlStrict.Decode((string)node["response"]!["clientDataJSON"]!, "clientDataJSON");
        var text = System.Text.RegularExpressions.Regex.Replace(Text.UTF8.GetString(clientData), $"\"{member}\":\"[^\"]*\"", $"\"{member}\":\"{contents}\"");
        node["response"]!["clientDataJSON"] = Passkeys.Encoding.Base64UrlStrict.Encode(Text.UTF8.GetBytes(text));
        return node.ToJsonString();
    }

    [StoreFact]
    public async Task Client_data_with_a_lone_surrogate_in_any_member_is_a_400_MalformedClientData_in_both_ceremonies()
    {
        var client = TestServer.NewClient();
        await _server.SignUpAsync(client, "bob");
        foreach (string member in new[] { "type", "challenge", "origin" })
        {
            var begin = await _server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/registration/begin", new { user = new { name = "carol" + member } });
            var created = WithHostileClientData(await TestServer.NewClient().CreateAsync(begin["options"]!.ToJsonString()), member, @"\ud800");
            using (var finish = await _server.SendAsync(HttpMethod.Post, "/v1/tenants/default/registration/finish", TestServer.FinishBody(begin, created)))
            {
                await TestServer.ProblemAsync(finish, 400, (int)PasskeyError.MalformedClientData);
            }
            begin = await _server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/authentication/begin", new { });
            var got = WithHostileClientData(await client.GetAsync(begin["options"]!.ToJsonString()), member, @"\udc00");
            using (var finish = await _server.SendAsync(HttpMethod.Post, "/v1/tenants/default/authentication/finish", TestServer.FinishBody(begin, got)))
            {
                await TestServer.ProblemAsync(finish, 400, (int)PasskeyError.MalformedClientData);
            }
        }
    }

    private async Task<JsonArray> AuditAsync(string ceremony) =>
        (await _server.OkJsonAsync(HttpMethod.Get, $"/v1/admin/tenants/default/audit?ceremony={ceremony}", bearer: TestServer.AdminKey))["events"]!.AsArray();

    [StoreFact]
    public async Task A_NUL_in_a_ceremony_id_is_CeremonyNotFound_and_its_failure_is_audited()
    {
        foreach (var (path, ceremony) in new[] { ("registration", "registration"), ("authentication", "authentication"), ("step-up", "step-up") })
        {
            using var response = await _server.SendAsync(HttpMethod.Post, $"/v1/tenants/default/{path}/finish", """{"ceremonyId":"ab\u0000cd","response":{}}""");
            await TestServer.ProblemAsync(response, 400, 1009);
            var failed = Assert.Single(await AuditAsync(ceremony), e => (string)e!["outcome"]! == "failed");
            Assert.Equal(@"ab\u0000cd", (string)failed!["ceremonyId"]!);
            Assert.Equal(1009, (int)failed["errorCode"]!);
        }
    }

    [StoreFact]
    public async Task A_NUL_in_a_username_is_refused_and_its_failure_is_audited()
    {
        using (var begin = await _server.SendAsync(HttpMethod.Post, "/v1/tenants/default/authentication/begin", """{"username":"al\u0000ice"}"""))
        {
            await TestServer.ProblemAsync(begin, 400, 1001);
        }
        Assert.Single(await AuditAsync("authentication"), e => (string)e!["outcome"]! == "failed" && (int)e["errorCode"]! == 1001);
        using (var redeem = await _server.SendAsync(HttpMethod.Post, "/v1/tenants/default/recovery/redeem", """{"username":"al\u0000ice","code":"ab\u0000cd"}"""))
        {
            Assert.Equal(HttpStatusCode.BadRequest, redeem.StatusCode);
        }
        Assert.Single(await AuditAsync("recovery"), e => (string)e!["outcome"]! == "failed");
    }

    [StoreFact]
    public async Task Every_text_column_of_an_audit_event_is_escaped_so_the_write_never_fails()
    {
        // The class, not the one field: every string AuditLog writes, with what PostgreSQL cannot store
        // (NUL, a lone surrogate), what breaks a log line (CR, LF, U+2028) and more than a column should hold.
        string hostile = "a\0b\ud800c\r\nd\u2028e";
        string Hostile(string s) => s + hostile;
        var audit = _server.Services<AuditLog>();
        var client = new ClientInfo(Hostile("1.2.3.4"), Hostile("agent") + new string('x', 2000), Hostile("browser"), Hostile("os"));
        await audit.RecordAsync("default", "session", "failed", Hostile("ceremony"), Hostile("user"), Hostile("credential"),
            1000, Hostile("error"), client, TimeSpan.FromMilliseconds(1));

        var e = Assert.Single(await AuditAsync("session"))!;
        string escaped = @"a\u0000b\ud800c\u000d\u000ad\u2028e";
        Assert.Equal("ceremony" + escaped, (string)e["ceremonyId"]!);
        Assert.Equal("user" + escaped, (string)e["userId"]!);
        Assert.Equal("credential" + escaped, (string)e["credentialId"]!);
        Assert.Equal("error" + escaped, (string)e["error"]!);
        Assert.Equal("1.2.3.4" + escaped, (string)e["clientAddress"]!);
        Assert.Equal("browser" + escaped, (string)e["browser"]!);
        Assert.Equal("os" + escaped, (string)e["os"]!);
        string agent = (string)e["userAgent"]!;
        Assert.StartsWith("agent" + escaped, agent, StringComparison.Ordinal);
        Assert.Equal(SafeText.MaxAuditLength + 1, agent.Length);
        Assert.EndsWith("…", agent, StringComparison.Ordinal);
    }
}

/// <summary><see cref="HostileInputTests"/> on SQLite.</summary>
public sealed class SqliteHostileInputTests : HostileInputTests
{
    protected override Task<TestServer> StartServerAsync() => TestServer.StartAsync();
}

/// <summary><see cref="HostileInputTests"/> on PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresHostileInputTests(PostgresCluster cluster) : HostileInputTests
{
    protected override Task<TestServer> StartServerAsync() => PostgresServer.StartAsync(cluster, null);
}
