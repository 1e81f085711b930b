using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Passkeys.Browser.Tests.Infrastructure;
using Passkeys.TestSupport;

namespace Passkeys.Browser.Tests.Samples;

/// <summary>
/// samples/PasswordApp's backend over HTTP, without a browser: every bad input is a clear refusal
/// (status and message), never a 500, and a passkey server that is down never keeps a password
/// user out.
/// </summary>
public sealed class PasswordAppApiTests
{
    /// <summary>A port held bound, never listening, for as long as the tests run: a passkey server that is down.</summary>
    private static readonly LoopbackPort DownServer = LoopbackPort.Reserve();

    /// <summary>The app pointed at a port where nothing listens: the passkey server is down.</summary>
    private static async Task<(PasswordAppRunner App, HttpClient Http)> StartWithoutServerAsync()
    {
        var app = await PasswordAppRunner.StartAsync(LoopbackPort.Reserve(), PasswordAppRunner.NewFolder(), $"http://localhost:{DownServer.Port}", "pkk_unused_secret");
        var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = new Uri($"http://127.0.0.1:{app.Port}") };
        http.DefaultRequestHeaders.Add("X-Requested-With", "fetch");
        return (app, http);
    }

    private static async Task AssertRefusedAsync(HttpResponseMessage response, HttpStatusCode status, string title)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(title, (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["title"]!);
    }

    [Fact]
    public async Task Bad_sign_ups_and_sign_ins_are_refused_with_a_message()
    {
        var (app, http) = await StartWithoutServerAsync();
        await using var _ = app;
        using var __ = http;
        await AssertRefusedAsync(await http.PostAsJsonAsync("/api/sign-up", new { name = "a", password = "long enough" }), HttpStatusCode.BadRequest, "Choose a name of 2 to 64 characters without spaces.");
        await AssertRefusedAsync(await http.PostAsJsonAsync("/api/sign-up", new { name = "ann lee", password = "long enough" }), HttpStatusCode.BadRequest, "Choose a name of 2 to 64 characters without spaces.");
        await AssertRefusedAsync(await http.PostAsJsonAsync("/api/sign-up", new { name = "ann", displayName = new string('x', 65), password = "long enough" }), HttpStatusCode.BadRequest, "The display name may have at most 64 characters.");
        await AssertRefusedAsync(await http.PostAsJsonAsync("/api/sign-up", new { name = "ann", password = "short" }), HttpStatusCode.BadRequest, "Choose a password of 8 to 256 characters.");
        await AssertRefusedAsync(await http.PostAsJsonAsync("/api/sign-in/password", new { name = "ann" }), HttpStatusCode.BadRequest, "Enter your name and password.");
        // Unknown name and wrong password read the same.
        await AssertRefusedAsync(await http.PostAsJsonAsync("/api/sign-in/password", new { name = "nobody", password = "long enough" }), HttpStatusCode.Unauthorized, "Wrong name or password.");

        // The passkey server is down: sign-up and sign-in still work, there is just no offer.
        using (var signedUp = await http.PostAsJsonAsync("/api/sign-up", new { name = "ann", password = "long enough" }))
        {
            Assert.Equal(HttpStatusCode.OK, signedUp.StatusCode);
            Assert.Null(JsonNode.Parse(await signedUp.Content.ReadAsStringAsync())!["user"]!["offer"]);
        }
        await AssertRefusedAsync(await http.PostAsJsonAsync("/api/sign-up", new { name = "ANN", password = "long enough" }), HttpStatusCode.Conflict, "This name is taken: choose another.");
        await AssertRefusedAsync(await http.PostAsJsonAsync("/api/sign-in/password", new { name = "ann", password = "wrong password" }), HttpStatusCode.Unauthorized, "Wrong name or password.");
        using (var signedIn = await http.PostAsJsonAsync("/api/sign-in/password", new { name = "Ann", password = "long enough" }))
        {
            Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        }
        // Calls to the passkey server then fail as a 502 that says so.
        await AssertRefusedAsync(await http.PostAsJsonAsync("/api/passkeys/begin", new { mediation = "modal" }), HttpStatusCode.BadGateway, "The passkey server cannot be reached");
        await AssertRefusedAsync(await http.PostAsJsonAsync("/api/passkeys/begin", new { mediation = "loud" }), HttpStatusCode.BadRequest, "mediation must be \"modal\" or \"conditional\".");
        await AssertRefusedAsync(await http.PostAsJsonAsync("/api/passkeys/finish", new { ceremonyId = "x" }), HttpStatusCode.BadRequest, "Send the ceremonyId and the browser's response.");
        await AssertRefusedAsync(await http.GetAsync("/api/recovery-codes"), HttpStatusCode.BadGateway, "The passkey server cannot be reached");
        await AssertRefusedAsync(await http.PostAsync("/api/recovery-codes", null), HttpStatusCode.BadGateway, "The passkey server cannot be reached");
    }

    [Fact]
    public async Task A_user_without_a_passkey_has_no_recovery_codes_and_is_told_to_create_a_passkey_first()
    {
        const string adminKey = "password-app-admin-key-0123456789abcdef";
        await using var server = await ServerHost.StartAsync(null, "--Passkeys:AdminKey=" + adminKey);
        using var admin = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.Port}") };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
        using var created = await admin.PostAsJsonAsync("/v1/admin/tenants/default/api-keys", new { name = "password-app" });
        var apiKey = (string)JsonNode.Parse(await created.Content.ReadAsStringAsync())!["key"]!;
        await using var app = await PasswordAppRunner.StartAsync(LoopbackPort.Reserve(), PasswordAppRunner.NewFolder(), server.Origin, apiKey);
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = new Uri($"http://127.0.0.1:{app.Port}") };
        http.DefaultRequestHeaders.Add("X-Requested-With", "fetch");
        using (var signedUp = await http.PostAsJsonAsync("/api/sign-up", new { name = "dee", password = "long enough" }))
        {
            Assert.Equal(HttpStatusCode.OK, signedUp.StatusCode);
        }
        // The passkey server learns of the user with their first passkey: until then, none left and none made.
        var status = JsonNode.Parse(await http.GetStringAsync("/api/recovery-codes"))!;
        Assert.Equal((0, null), ((int)status["remaining"]!, (string?)status["generatedAt"]));
        // Codes bring back a lost passkey; without one, the password is the way in.
        await AssertRefusedAsync(await http.PostAsync("/api/recovery-codes", null), HttpStatusCode.Conflict,
            "Create a passkey first: recovery codes are for when you lose your passkeys.");
        var passkeys = JsonNode.Parse(await http.GetStringAsync("/api/passkeys"))!;
        Assert.Empty(passkeys["credentials"]!.AsArray());

        // Only an unknown user means "nothing yet": an app set up with a tenant the server does not
        // have shows that error, never an empty list or "no codes".
        await using var misconfigured = await PasswordAppRunner.StartAsync(LoopbackPort.Reserve(), PasswordAppRunner.NewFolder(), server.Origin, apiKey, "--PasswordApp:Tenant=no-such-tenant");
        using var other = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = new Uri($"http://127.0.0.1:{misconfigured.Port}") };
        other.DefaultRequestHeaders.Add("X-Requested-With", "fetch");
        using (var signedUp = await other.PostAsJsonAsync("/api/sign-up", new { name = "dee", password = "long enough" }))
        {
            Assert.Equal(HttpStatusCode.OK, signedUp.StatusCode);
        }
        foreach (var refused in new[] { await other.GetAsync("/api/passkeys"), await other.GetAsync("/api/recovery-codes"), await other.PostAsync("/api/recovery-codes", null) })
        {
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
            Assert.Equal(1008, (int)JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["code"]!);
        }
    }

    [Fact]
    public async Task A_body_that_is_not_the_expected_json_is_refused_with_a_message()
    {
        var (app, http) = await StartWithoutServerAsync();
        await using var _ = app;
        using var __ = http;
        foreach (var (path, body) in new[] { ("/api/sign-up", "{ not json"), ("/api/sign-in/password", "[1, 2]"), ("/api/sign-in/password", "{ \"name\": 5 }") })
        {
            using var response = await http.PostAsync(path, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
            await AssertRefusedAsync(response, HttpStatusCode.BadRequest, "The request body is not the JSON this call expects.");
        }
    }

    [Fact]
    public async Task Changes_without_the_fetch_header_and_calls_without_a_session_or_token_are_refused()
    {
        var (app, http) = await StartWithoutServerAsync();
        await using var _ = app;
        using var __ = http;
        using (var signedUp = await http.PostAsJsonAsync("/api/sign-up", new { name = "bo", password = "long enough" }))
        {
            Assert.Equal(HttpStatusCode.OK, signedUp.StatusCode);
        }
        // A cross-site form could send the cookie but not a custom header.
        http.DefaultRequestHeaders.Remove("X-Requested-With");
        await AssertRefusedAsync(await http.PostAsJsonAsync("/api/passkeys/begin", new { mediation = "modal" }), HttpStatusCode.BadRequest, "Missing the X-Requested-With: fetch header.");
        await AssertRefusedAsync(await http.PostAsync("/api/sign-out", null), HttpStatusCode.BadRequest, "Missing the X-Requested-With: fetch header.");
        await AssertRefusedAsync(await http.DeleteAsync("/api/passkeys/abc"), HttpStatusCode.BadRequest, "Missing the X-Requested-With: fetch header.");
        await AssertRefusedAsync(await http.PostAsync("/api/recovery-codes", null), HttpStatusCode.BadRequest, "Missing the X-Requested-With: fetch header.");

        using var anonymous = new HttpClient { BaseAddress = http.BaseAddress };
        anonymous.DefaultRequestHeaders.Add("X-Requested-With", "fetch");
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/passkeys")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/recovery-codes")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/api/recovery-codes", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/api/sign-in/passkey", null)).StatusCode);
        using var forged = new HttpRequestMessage(HttpMethod.Post, "/api/sign-in/passkey");
        forged.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJibyJ9.");
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.SendAsync(forged)).StatusCode);
    }
}
