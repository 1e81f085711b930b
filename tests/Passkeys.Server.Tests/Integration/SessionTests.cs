using System.Net;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Passkeys.Server.Tests.Storage;

namespace Passkeys.Server.Tests.Integration;

/// <summary>
/// Sessions over real HTTP: refresh tokens from sign-in and sign-up, rotation, reuse detection,
/// idle and absolute expiry on the server's clock, racing refreshes, sign-out, the user's session
/// list, and the cascades from credential and user deletion; one derived class per store.
/// </summary>
public abstract class SessionTests : IAsyncLifetime
{
    private const string Refresh = "/v1/tenants/default/sessions/refresh";
    private const string Revoke = "/v1/tenants/default/sessions/revoke";
    private const string MySessions = "/v1/tenants/default/me/sessions";
    private TestServer _server = null!;

    protected abstract Task<TestServer> StartServerAsync(TimeProvider? time = null, params string[] extraArgs);

    public async Task InitializeAsync() => _server = await StartServerAsync();
    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static Task<HttpResponseMessage> RefreshAsync(TestServer server, string refreshToken) =>
        server.SendAsync(HttpMethod.Post, Refresh, new { refreshToken });

    private static async Task<JsonNode> RefreshOkAsync(TestServer server, string refreshToken) =>
        await server.OkJsonAsync(HttpMethod.Post, Refresh, new { refreshToken });

    private static async Task AssertRefreshRefusedAsync(TestServer server, string refreshToken, int code)
    {
        using var r = await RefreshAsync(server, refreshToken);
        await TestServer.ProblemAsync(r, 401, code);
    }

    [StoreFact]
    public async Task Sign_in_starts_a_session_whose_refresh_token_rotates_and_keeps_the_sign_in_claims()
    {
        var client = TestServer.NewClient();
        var signUp = await _server.SignUpAsync(client, "alice");
        Assert.StartsWith("pkr_", (string)signUp["refreshToken"]!, StringComparison.Ordinal);
        var signIn = await _server.SignInAsync(client);
        var refreshToken = (string)signIn["refreshToken"]!;
        var sessionId = (string)signIn["sessionId"]!;
        Assert.NotEqual((string)signUp["sessionId"]!, sessionId);
        Assert.True((DateTimeOffset)signIn["refreshTokenExpiresAt"]! <= (DateTimeOffset)signIn["sessionExpiresAt"]!);
        var first = new JsonWebToken((string)signIn["token"]!);
        Assert.Equal(sessionId, first.GetPayloadValue<string>("sid"));

        var refreshed = await RefreshOkAsync(_server, refreshToken);
        var next = (string)refreshed["refreshToken"]!;
        Assert.NotEqual(refreshToken, next);
        Assert.Equal(sessionId, (string)refreshed["sessionId"]!);
        var jwt = new JsonWebToken((string)refreshed["token"]!);
        Assert.Equal(sessionId, jwt.GetPayloadValue<string>("sid"));
        Assert.Equal(first.Subject, jwt.Subject);
        Assert.Equal(first.GetPayloadValue<string>("cid"), jwt.GetPayloadValue<string>("cid"));
        Assert.Equal(first.GetPayloadValue<long>("auth_time"), jwt.GetPayloadValue<long>("auth_time"));
        Assert.Equal(first.GetPayloadValue<bool>("uv"), jwt.GetPayloadValue<bool>("uv"));
        Assert.NotEqual(first.Id, jwt.Id);
        await _server.OkJsonAsync(HttpMethod.Get, "/v1/tenants/default/me/credentials", bearer: (string)refreshed["token"]!);

        // The new refresh token works in turn.
        Assert.NotEqual(next, (string)(await RefreshOkAsync(_server, next))["refreshToken"]!);

        // Adding a passkey while signed in keeps the session: no new refresh token.
        var begin = await _server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/registration/begin", new { }, bearer: (string)refreshed["token"]!);
        var created = await TestServer.NewClient().CreateAsync(begin["options"]!.ToJsonString());
        var added = await _server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/registration/finish", TestServer.FinishBody(begin, created));
        Assert.Null(added["refreshToken"]);
        Assert.False(string.IsNullOrEmpty((string?)added["token"]));
    }

    [StoreFact]
    public async Task Presenting_a_rotated_refresh_token_revokes_the_whole_family_and_is_audited()
    {
        var client = TestServer.NewClient();
        await _server.SignUpAsync(client, "bob");
        var signIn = await _server.SignInAsync(client);
        var original = (string)signIn["refreshToken"]!;
        var second = (string)(await RefreshOkAsync(_server, original))["refreshToken"]!;
        var third = (string)(await RefreshOkAsync(_server, second))["refreshToken"]!;

        await AssertRefreshRefusedAsync(_server, original, 1021); // RefreshTokenReused
        await AssertRefreshRefusedAsync(_server, third, 1020);    // SessionRevoked: the live descendant died too
        await AssertRefreshRefusedAsync(_server, second, 1020);

        var events = await _server.OkJsonAsync(HttpMethod.Get, "/v1/admin/tenants/default/audit?ceremony=session&outcome=failed", bearer: TestServer.AdminKey);
        var e = Assert.Single(events["events"]!.AsArray())!;
        Assert.Equal(1021, (int)e["errorCode"]!);
        Assert.Equal((string)signIn["sessionId"]!, (string)e["ceremonyId"]!);
        Assert.Equal((string)signIn["user"]!["id"]!, (string)e["userId"]!);

        var metrics = await _server.Http.GetStringAsync("/metrics");
        Assert.Contains("passkeys_session_refreshes_total{outcome=\"rotated\"} 2", metrics, StringComparison.Ordinal);
        Assert.Contains("passkeys_session_refreshes_total{outcome=\"reused\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("passkeys_session_refreshes_total{outcome=\"revoked\"} 2", metrics, StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task Access_tokens_expire_and_sessions_end_after_their_idle_and_absolute_lifetimes()
    {
        var time = new ManualTime();
        await using var server = await StartServerAsync(time,
            "--Passkeys:Tokens:SessionIdleLifetime=00:10:00", "--Passkeys:Tokens:SessionLifetime=00:30:00");
        var client = TestServer.NewClient();
        await server.SignUpAsync(client, "carol");
        var signIn = await server.SignInAsync(client);

        // The access token expires after 5 minutes: a distinct code, so the client knows to refresh.
        time.Advance(TimeSpan.FromMinutes(6));
        using (var expired = await server.SendAsync(HttpMethod.Get, "/v1/tenants/default/me/credentials", bearer: (string)signIn["token"]!))
        {
            await TestServer.ProblemAsync(expired, 401, 1018); // TokenExpired
        }
        var refreshed = await RefreshOkAsync(server, (string)signIn["refreshToken"]!);
        await server.OkJsonAsync(HttpMethod.Get, "/v1/tenants/default/me/credentials", bearer: (string)refreshed["token"]!);

        // Idle: each refresh moves the end 10 minutes on; 11 minutes of silence end the session.
        time.Advance(TimeSpan.FromMinutes(9));
        refreshed = await RefreshOkAsync(server, (string)refreshed["refreshToken"]!);
        time.Advance(TimeSpan.FromMinutes(11));
        await AssertRefreshRefusedAsync(server, (string)refreshed["refreshToken"]!, 1019); // SessionExpired

        // Absolute: refreshed every 8 minutes, the session still ends 30 minutes after sign-in.
        var session = await server.SignInAsync(client);
        var token = (string)session["refreshToken"]!;
        var end = (DateTimeOffset)session["sessionExpiresAt"]!;
        for (var i = 0; i < 3; i++)
        {
            time.Advance(TimeSpan.FromMinutes(8));
            var r = await RefreshOkAsync(server, token);
            token = (string)r["refreshToken"]!;
            Assert.True((DateTimeOffset)r["refreshTokenExpiresAt"]! <= end);
        }
        time.Advance(TimeSpan.FromMinutes(8)); // 32 minutes after sign-in
        await AssertRefreshRefusedAsync(server, token, 1019);
    }

    [StoreFact]
    public async Task Racing_refreshes_of_one_token_rotate_it_exactly_once_without_a_reuse_grace()
    {
        // With the grace, one racer would be taken for a retry of the winner (see the next test).
        await using var server = await StartServerAsync(null, "--Passkeys:Tokens:RefreshReuseGrace=00:00:00");
        var client = TestServer.NewClient();
        await server.SignUpAsync(client, "dave");
        var token = (string)(await server.SignInAsync(client))["refreshToken"]!;
        var body = System.Text.Json.JsonSerializer.Serialize(new { refreshToken = token });
        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => server.SendAsync(HttpMethod.Post, Refresh, body)));
        try
        {
            var winners = responses.Where(r => r.StatusCode == HttpStatusCode.OK).ToList();
            Assert.Single(winners);
            foreach (var loser in responses.Where(r => r.StatusCode != HttpStatusCode.OK))
            {
                Assert.Equal(HttpStatusCode.Unauthorized, loser.StatusCode);
                Assert.Contains((int)JsonNode.Parse(await loser.Content.ReadAsStringAsync())!["code"]!, new[] { 1020, 1021 });
            }
            // A second presentation is reuse by definition: the winner's new token went with the family.
            var next = (string)JsonNode.Parse(await winners[0].Content.ReadAsStringAsync())!["refreshToken"]!;
            await AssertRefreshRefusedAsync(server, next, 1020);
        }
        finally
        {
            foreach (var r in responses) r.Dispose();
        }
    }

    [StoreFact]
    public async Task A_refresh_retried_within_the_grace_after_a_lost_response_succeeds_and_the_lost_token_is_reuse()
    {
        var time = new ManualTime();
        await using var server = await StartServerAsync(time, "--Passkeys:Tokens:RefreshReuseGrace=00:00:30");
        var client = TestServer.NewClient();
        await server.SignUpAsync(client, "erin");
        var signIn = await server.SignInAsync(client);
        var original = (string)signIn["refreshToken"]!;

        // The rotation commits but its response never reaches the client.
        time.Advance(TimeSpan.FromMinutes(1));
        var lost = (string)(await RefreshOkAsync(server, original))["refreshToken"]!;

        // The client retries with the only token it has, within the grace: not theft.
        time.Advance(TimeSpan.FromSeconds(10));
        var retried = await RefreshOkAsync(server, original);
        var next = (string)retried["refreshToken"]!;
        Assert.NotEqual(lost, next);
        Assert.Equal((string)signIn["sessionId"]!, (string)retried["sessionId"]!);
        await server.OkJsonAsync(HttpMethod.Get, "/v1/tenants/default/me/credentials", bearer: (string)retried["token"]!);
        time.Advance(TimeSpan.FromSeconds(1));
        next = (string)(await RefreshOkAsync(server, next))["refreshToken"]!;

        // The undelivered token turning up after all means someone else holds it: reuse, and the
        // whole session goes.
        time.Advance(TimeSpan.FromSeconds(1));
        await AssertRefreshRefusedAsync(server, lost, 1021);   // RefreshTokenReused
        await AssertRefreshRefusedAsync(server, next, 1020);   // SessionRevoked
        await AssertRefreshRefusedAsync(server, original, 1020);
    }

    [StoreFact]
    public async Task Sign_out_revokes_the_session_and_is_idempotent()
    {
        var client = TestServer.NewClient();
        var signUp = await _server.SignUpAsync(client, "erin");
        var token = (string)signUp["refreshToken"]!;
        for (var i = 0; i < 2; i++)
        {
            using var revoke = await _server.SendAsync(HttpMethod.Post, Revoke, new { refreshToken = token });
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        }
        await AssertRefreshRefusedAsync(_server, token, 1020);
        using (var unknown = await _server.SendAsync(HttpMethod.Post, Revoke, new { refreshToken = "pkr_" + new string('A', 43) }))
        {
            Assert.Equal(HttpStatusCode.NoContent, unknown.StatusCode);
        }
        var list = await _server.OkJsonAsync(HttpMethod.Get, MySessions, bearer: (string)signUp["token"]!);
        Assert.Empty(list["sessions"]!.AsArray());
    }

    [StoreFact]
    public async Task Users_list_their_sessions_and_revoke_one()
    {
        var client = TestServer.NewClient();
        await _server.SignUpAsync(client, "frank");
        var laptop = await _server.SignInAsync(client);
        _server.Http.DefaultRequestHeaders.UserAgent.ParseAdd("Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Mobile Safari/537.36");
        var phone = await _server.SignInAsync(client);
        _server.Http.DefaultRequestHeaders.UserAgent.Clear();

        var list = (await _server.OkJsonAsync(HttpMethod.Get, MySessions, bearer: (string)laptop["token"]!))["sessions"]!.AsArray();
        Assert.Equal(3, list.Count); // sign-up, laptop, phone
        var current = Assert.Single(list, s => (bool)s!["current"]!)!;
        Assert.Equal((string)laptop["sessionId"]!, (string)current["id"]!);
        var phoneView = list.Single(s => (string)s!["id"]! == (string)phone["sessionId"]!)!;
        Assert.Equal("Chrome", (string)phoneView["browser"]!);
        Assert.Equal("Android", (string)phoneView["os"]!);
        Assert.Equal((string)phone["credentialId"]!, (string)phoneView["credentialId"]!);
        Assert.NotNull(phoneView["createdAt"]);
        Assert.NotNull(phoneView["lastUsedAt"]);

        using (var delete = await _server.SendAsync(HttpMethod.Delete, $"{MySessions}/{phone["sessionId"]}", bearer: (string)laptop["token"]!))
        {
            Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        }
        await AssertRefreshRefusedAsync(_server, (string)phone["refreshToken"]!, 1020);
        Assert.Equal(2, (await _server.OkJsonAsync(HttpMethod.Get, MySessions, bearer: (string)laptop["token"]!))["sessions"]!.AsArray().Count);
        using (var again = await _server.SendAsync(HttpMethod.Delete, $"{MySessions}/{phone["sessionId"]}", bearer: (string)laptop["token"]!))
        {
            await TestServer.ProblemAsync(again, 404, 1023); // SessionNotFound
        }

        // Another user's session is not found for this user, and is left alone.
        var other = TestServer.NewClient();
        await _server.SignUpAsync(other, "grace");
        var graceSession = await _server.SignInAsync(other);
        using (var foreign = await _server.SendAsync(HttpMethod.Delete, $"{MySessions}/{graceSession["sessionId"]}", bearer: (string)laptop["token"]!))
        {
            await TestServer.ProblemAsync(foreign, 404, 1023);
        }
        await RefreshOkAsync(_server, (string)graceSession["refreshToken"]!);
        using (var none = await _server.SendAsync(HttpMethod.Get, MySessions))
        {
            await TestServer.ProblemAsync(none, 401, 1006);
        }
    }

    [StoreFact]
    public async Task Deleting_the_passkey_or_the_user_ends_their_sessions()
    {
        var client = TestServer.NewClient();
        var signUp = await _server.SignUpAsync(client, "heidi");
        var signIn = await _server.SignInAsync(client);
        var credentialId = (string)signUp["credential"]!["id"]!;
        using (var delete = await _server.SendAsync(HttpMethod.Delete, $"/v1/tenants/default/me/credentials/{credentialId}", bearer: (string)signIn["token"]!))
        {
            Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        }
        await AssertRefreshRefusedAsync(_server, (string)signIn["refreshToken"]!, 1022); // gone with the passkey
        await AssertRefreshRefusedAsync(_server, (string)signUp["refreshToken"]!, 1022);

        var other = TestServer.NewClient();
        var ivan = await _server.SignUpAsync(other, "ivan");
        using (var deleteUser = await _server.SendAsync(HttpMethod.Delete, $"/v1/admin/tenants/default/users/{ivan["user"]!["id"]}", bearer: TestServer.AdminKey))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleteUser.StatusCode);
        }
        await AssertRefreshRefusedAsync(_server, (string)ivan["refreshToken"]!, 1022);
    }

    // One server for every case (a theory would start one per case).
    private static readonly (string Body, int Status, int Code)[] MalformedCases =
    [
        ("", 400, 1000),                                        // no body
        ("{}", 400, 1000),                                      // member missing
        ("{\"refreshToken\":null}", 400, 1000),
        ("{\"refreshToken\":42}", 400, 1000),
        ("[\"pkr_\"]", 400, 1000),
        ("{\"refreshToken\":\"\"}", 400, 1001),
        ("{\"refreshToken\":\"not-a-token\"}", 400, 1001),
        ("{\"refreshToken\":\"pkr_!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\"}", 400, 1001),
        ("{\"refreshToken\":\"pkr_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"}", 400, 1001), // one character too many
        ("{\"refreshToken\":\"pkr_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"}", 401, 1022),  // well-formed, unknown
    ];

    [StoreFact]
    public async Task Malformed_refresh_and_sign_out_requests_get_specific_codes()
    {
        foreach (var (body, status, code) in MalformedCases)
        {
            foreach (var path in new[] { Refresh, Revoke })
            {
                if (path == Revoke && status == 401)
                {
                    continue; // sign-out of an unknown session is a no-op (204, tested above)
                }
                using var r = body.Length == 0
                    ? await _server.Http.PostAsync(path, new StringContent("", System.Text.Encoding.UTF8, "application/json"))
                    : await _server.SendAsync(HttpMethod.Post, path, body);
                var text = await r.Content.ReadAsStringAsync();
                Assert.True(status == (int)r.StatusCode, $"{path} {body} → {(int)r.StatusCode}: {text}");
                Assert.Equal(code, (int)JsonNode.Parse(text)!["code"]!);
            }
        }
        using var plain = await _server.Http.PostAsync(Refresh, new StringContent("pkr_x", System.Text.Encoding.UTF8, "text/plain"));
        await TestServer.ProblemAsync(plain, 415, 1003);
    }
}

/// <summary>The session suite on SQLite.</summary>
public sealed class SqliteSessionTests : SessionTests
{
    protected override Task<TestServer> StartServerAsync(TimeProvider? time = null, params string[] extraArgs) => TestServer.StartAsync(time, extraArgs);
}

/// <summary>The session suite on PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresSessionTests(PostgresCluster cluster) : SessionTests
{
    protected override Task<TestServer> StartServerAsync(TimeProvider? time = null, params string[] extraArgs) =>
        PostgresServer.StartAsync(cluster, time, extraArgs);
}

/// <summary>The session settings the validator checks at start.</summary>
public sealed class SessionOptionsTests
{
    [Theory]
    [InlineData("00:00:00", true)]
    [InlineData("00:00:30", true)]
    [InlineData("00:05:00", true)]
    [InlineData("00:05:01", false)]
    [InlineData("-00:00:01", false)]
    public void The_refresh_reuse_grace_is_between_zero_and_five_minutes(string grace, bool valid)
    {
        var options = new Passkeys.Server.Configuration.PasskeysServerOptions();
        options.Tokens.RefreshReuseGrace = TimeSpan.Parse(grace, System.Globalization.CultureInfo.InvariantCulture);
        var result = new Passkeys.Server.Configuration.PasskeysServerOptionsValidator().Validate(null, options);
        Assert.Equal(valid, result.Succeeded);
        if (!valid)
        {
            Assert.Contains("Passkeys:Tokens:RefreshReuseGrace", result.FailureMessage, StringComparison.Ordinal);
        }
    }
}
