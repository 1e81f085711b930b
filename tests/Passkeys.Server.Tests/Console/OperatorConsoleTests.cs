using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Passkeys.Server.Tests.Integration;
using Passkeys.Server.Tests.Storage;

namespace Passkeys.Server.Tests.OperatorConsole;

/// <summary>
/// Operators and their sessions against a real server, on each store (SQLite and PostgreSQL below):
/// bootstrap with the admin key, enrolment and sign-in with a passkey, the cookie, CSRF, idle and
/// absolute ends, invitation links, revocation, and the admin API used with an operator session.
/// </summary>
public abstract class OperatorConsoleTests(TestStores stores) : StoreSuite(stores)
{
    private async Task<TestServer> StartAsync(TimeProvider? time = null, params string[] extra) =>
        await TestServer.StartAsync(time, [.. await NewStoreAsync(), "--Passkeys:PublicBaseUrl=" + TestServer.Origin, .. extra]);

    private static async Task<string> BootstrapAsync(TestServer server) =>
        (string)(await server.OkJsonAsync(HttpMethod.Post, "/v1/admin/operators/bootstrap", bearer: TestServer.AdminKey))["enrolmentUrl"]!;

    private static async Task<ConsoleClient> FirstOperatorAsync(TestServer server, string name = "Ada")
    {
        var console = new ConsoleClient(server, TestServer.NewClient());
        await console.EnrolAsync(await BootstrapAsync(server), name);
        return console;
    }

    [Fact]
    public async Task Bootstrap_enrols_the_first_operator_whose_session_cookie_works_the_admin_api()
    {
        await using var server = await StartAsync();
        var url = await BootstrapAsync(server);
        Assert.StartsWith(TestServer.Origin + "/console/#enrol=pki_", url, StringComparison.Ordinal);

        using var console = new ConsoleClient(server, TestServer.NewClient());
        var enrolled = await console.EnrolAsync(url, "Ada Lovelace");
        Assert.Equal("Ada Lovelace", (string)enrolled["operator"]!["name"]!);
        // The cookie: HttpOnly, SameSite=Strict, whole site, no Expires (the server ends it); not Secure on plain http (no __Host- either).
        var cookie = console.LastSetCookie!.ToLowerInvariant();
        Assert.StartsWith("passkeys-console=pko_", cookie, StringComparison.Ordinal);
        Assert.Contains("httponly", cookie, StringComparison.Ordinal);
        Assert.Contains("samesite=strict", cookie, StringComparison.Ordinal);
        Assert.Contains("path=/", cookie, StringComparison.Ordinal);
        Assert.DoesNotContain("expires", cookie, StringComparison.Ordinal);

        var me = await console.OkAsync(HttpMethod.Get, "/v1/console/session");
        Assert.Equal(console.Csrf, (string)me["csrfToken"]!);
        Assert.Equal(1, (int)me["operator"]!["passkeys"]!);

        // The admin API with the cookie: every capability, and the console tenant is in no list.
        var tenants = await console.OkAsync(HttpMethod.Get, "/v1/admin/tenants");
        Assert.DoesNotContain(tenants["tenants"]!.AsArray(), t => ((string)t!["id"]!).StartsWith('_'));
        var created = await console.OkAsync(HttpMethod.Post, "/v1/admin/tenants", new
        {
            id = "shop", rpId = "shop.example", rpName = "Shop", origins = new[] { "https://shop.example" },
            userVerification = "preferred", attestation = "none", selfSignUp = false, cloneDetection = "suspend",
        });
        Assert.Equal("shop", (string)created["id"]!);
        var key = await console.OkAsync(HttpMethod.Post, "/v1/admin/tenants/shop/api-keys", new { name = "backend" });
        Assert.StartsWith("pkk_", (string)key["key"]!, StringComparison.Ordinal);

        // The operator is named as the actor of what they did (ceremonyId until audit has an actor field).
        var audit = await server.OkJsonAsync(HttpMethod.Get, "/v1/admin/tenants/shop/audit?ceremony=admin", bearer: TestServer.AdminKey);
        var events = audit["events"]!.AsArray();
        Assert.Equal(2, events.Count);
        var operatorId = (string)enrolled["operator"]!["id"]!;
        Assert.All(events, e => Assert.Equal(("operator", operatorId), ((string)e!["actor"]!["kind"]!, (string)e["actor"]!["id"]!)));
        Assert.Contains(events, e => (string)e!["error"]! == "POST /v1/admin/tenants/{tenant}/api-keys");

        // The admin key keeps working beside it.
        await server.OkJsonAsync(HttpMethod.Get, "/v1/admin/tenants/shop", bearer: TestServer.AdminKey);
    }

    [Fact]
    public async Task An_unsafe_request_without_the_csrf_header_or_from_another_origin_is_refused_and_changes_nothing()
    {
        await using var server = await StartAsync();
        using var console = await FirstOperatorAsync(server);
        var tenant = new
        {
            id = "csrf", rpId = "csrf.example", rpName = "X", origins = new[] { "https://csrf.example" },
            userVerification = "preferred", attestation = "none", selfSignUp = false, cloneDetection = "suspend",
        };
        using (var missing = await console.SendAsync(HttpMethod.Post, "/v1/admin/tenants", tenant, csrf: false))
        {
            await TestServer.ProblemAsync(missing, 403, 1170);
        }
        var real = console.Csrf;
        console.Csrf = real![..^2] + (real[^2] == 'A' ? "BB" : "AA");
        using (var wrong = await console.SendAsync(HttpMethod.Post, "/v1/admin/tenants", tenant))
        {
            await TestServer.ProblemAsync(wrong, 403, 1170);
        }
        console.Csrf = real;
        using (var foreign = await console.SendAsync(HttpMethod.Post, "/v1/admin/tenants", tenant, origin: "https://evil.example"))
        {
            await TestServer.ProblemAsync(foreign, 403, 1170);
        }
        using (var signOut = await console.SendAsync(HttpMethod.Post, "/v1/console/sign-out", csrf: false))
        {
            await TestServer.ProblemAsync(signOut, 403, 1170);
        }
        using (var gone = await server.SendAsync(HttpMethod.Get, "/v1/admin/tenants/csrf", bearer: TestServer.AdminKey))
        {
            await TestServer.ProblemAsync(gone, 404, 1008);
        }
        // Sign-in from another site's page is refused too (login CSRF).
        using var foreignSignIn = await console.SendAsync(HttpMethod.Post, "/v1/console/sign-in/begin", origin: "https://evil.example");
        await TestServer.ProblemAsync(foreignSignIn, 403, 1170);
    }

    [Fact]
    public async Task The_session_ends_when_idle_and_at_its_absolute_end_however_busy()
    {
        var time = new ManualTime();
        await using var server = await StartAsync(time, "--Passkeys:Console:IdleTimeout=00:05:00", "--Passkeys:Console:SessionLifetime=00:12:00");
        using var console = await FirstOperatorAsync(server);

        // Used every 4 minutes: alive past the first idle end…
        for (var i = 0; i < 2; i++)
        {
            time.Advance(TimeSpan.FromMinutes(4));
            await console.OkAsync(HttpMethod.Get, "/v1/admin/tenants");
        }
        // …until the absolute end (12 minutes), however busy.
        time.Advance(TimeSpan.FromMinutes(4) + TimeSpan.FromSeconds(1));
        using (var ended = await console.SendAsync(HttpMethod.Get, "/v1/admin/tenants"))
        {
            await TestServer.ProblemAsync(ended, 401, 1171);
        }

        // A new sign-in, then 5 idle minutes: ended.
        await console.SignInAsync();
        time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
        using var idle = await console.SendAsync(HttpMethod.Get, "/v1/console/session");
        await TestServer.ProblemAsync(idle, 401, 1171);
    }

    [Fact]
    public async Task Invitations_are_single_use_and_expire_and_bootstrap_is_for_the_admin_key_while_no_operator_exists()
    {
        var time = new ManualTime();
        await using var server = await StartAsync(time);
        using var ada = await FirstOperatorAsync(server);

        using (var again = await server.SendAsync(HttpMethod.Post, "/v1/admin/operators/bootstrap", bearer: TestServer.AdminKey))
        {
            await TestServer.ProblemAsync(again, 409, 1173);
        }
        using (var byOperator = await ada.SendAsync(HttpMethod.Post, "/v1/admin/operators/bootstrap"))
        {
            await TestServer.ProblemAsync(byOperator, 403, 1175);
        }

        var invitation = (string)(await ada.OkAsync(HttpMethod.Post, "/v1/admin/operators/invitations", new { note = "for Grace" }))["enrolmentUrl"]!;
        using var grace = new ConsoleClient(server, TestServer.NewClient());
        await grace.EnrolAsync(invitation, "Grace");
        using var third = new ConsoleClient(server, TestServer.NewClient());
        await Assert.ThrowsAnyAsync<Xunit.Sdk.XunitException>(() => third.EnrolAsync(invitation, "Mallory"));
        using (var used = await third.SendAsync(HttpMethod.Post, "/v1/console/enrolment/begin", new { invitation = invitation[(invitation.IndexOf('=') + 1)..], name = "Mallory" }))
        {
            await TestServer.ProblemAsync(used, 400, 1172);
        }

        var late = (string)(await ada.OkAsync(HttpMethod.Post, "/v1/admin/operators/invitations"))["enrolmentUrl"]!;
        time.Advance(TimeSpan.FromHours(24) + TimeSpan.FromSeconds(1));
        await ada.SignInAsync();
        using (var expired = await third.SendAsync(HttpMethod.Post, "/v1/console/enrolment/begin", new { invitation = late[(late.IndexOf('=') + 1)..], name = "Late" }))
        {
            await TestServer.ProblemAsync(expired, 400, 1172);
        }

        // Operator management is audited in the console's own log: the bootstrap by the admin key, the invitations by Ada (with the note).
        var log = (await ada.OkAsync(HttpMethod.Get, "/v1/admin/operators/audit?ceremony=admin"))["events"]!.AsArray();
        var adaId = (string)(await ada.OkAsync(HttpMethod.Get, "/v1/console/session"))["operator"]!["id"]!;
        Assert.Contains(log, e => (string)e!["actor"]!["kind"]! == "admin" && (string)e["type"]! == "admin.succeeded" && (string)e["error"]! == "POST /v1/admin/operators/bootstrap");
        Assert.Contains(log, e => (string)e!["actor"]!["kind"]! == "operator" && (string?)e["actor"]!["id"] == adaId && (string)e["error"]! == "POST /v1/admin/operators/invitations (note: for Grace)");
        var signIns = (await ada.OkAsync(HttpMethod.Get, "/v1/admin/operators/audit?ceremony=registration&outcome=succeeded"))["events"]!.AsArray();
        Assert.Equal(2, signIns.Count); // Ada's and Grace's enrolments
                var operators = await ada.OkAsync(HttpMethod.Get, "/v1/admin/operators");
        Assert.Equal(["Ada", "Grace"], operators["operators"]!.AsArray().Select(o => (string)o!["name"]!).Order().ToArray());
    }

    [Fact]
    public async Task Every_unsafe_request_made_with_the_admin_key_is_recorded_with_the_admin_as_actor_and_reads_are_not()
    {
        await using var server = await StartAsync();
        await server.OkJsonAsync(HttpMethod.Post, "/v1/admin/tenants", new
        {
            id = "cli", rpId = "cli.example", rpName = "Cli", origins = new[] { "https://cli.example" },
            userVerification = "preferred", attestation = "none", selfSignUp = false, cloneDetection = "suspend",
        }, bearer: TestServer.AdminKey);
        var key = await server.OkJsonAsync(HttpMethod.Post, "/v1/admin/tenants/cli/api-keys", new { name = "backend" }, bearer: TestServer.AdminKey);
        await server.OkJsonAsync(HttpMethod.Get, "/v1/admin/tenants/cli", bearer: TestServer.AdminKey);
        using (var refused = await server.SendAsync(HttpMethod.Delete, "/v1/admin/tenants/cli/users/nobody", bearer: TestServer.AdminKey))
        {
            await TestServer.ProblemAsync(refused, 404, 1010);
        }
        using (var wrongKey = await server.SendAsync(HttpMethod.Post, "/v1/admin/tenants/cli/api-keys", new { name = "x" }, bearer: "not-the-admin-key"))
        {
            await TestServer.ProblemAsync(wrongKey, 401, 1006); // not authenticated by the key: nobody to record as actor
        }

        var events = (await server.OkJsonAsync(HttpMethod.Get, "/v1/admin/tenants/cli/audit?ceremony=admin", bearer: TestServer.AdminKey))["events"]!.AsArray()
            .Select(e => ((string)e!["type"]!, (string)e["actor"]!["kind"]!, (string?)e["actor"]!["id"], (string)e["error"]!, (int?)e["errorCode"], (string?)e["userId"]))
            .OrderBy(e => e.Item4, StringComparer.Ordinal).ToList();
        Assert.Equal(
        [
            ("admin.succeeded", "admin", null, "POST /v1/admin/tenants", null, null),
            ("admin.succeeded", "admin", null, "POST /v1/admin/tenants/{tenant}/api-keys", null, null),
            ("admin.failed", "admin", null, "UserNotFound: DELETE /v1/admin/tenants/{tenant}/users/{userId}", 1010, "nobody"),
        ], events);
        // The typed event of the change names the same actor.
        var created = (await server.OkJsonAsync(HttpMethod.Get, "/v1/admin/tenants/cli/audit?type=api_key.created", bearer: TestServer.AdminKey))["events"]!.AsArray();
        Assert.Equal("admin", (string)Assert.Single(created)!["actor"]!["kind"]!);
        Assert.NotNull(key["key"]);
    }

    [Fact]
    public async Task An_operator_lists_pending_invitations_and_cancels_one_whose_link_is_then_refused_as_cancelled()
    {
        var time = new ManualTime();
        await using var server = await StartAsync(time);
        using var ada = await FirstOperatorAsync(server);
        var adaId = (string)(await ada.OkAsync(HttpMethod.Get, "/v1/console/session"))["operator"]!["id"]!;
        Assert.Empty((await ada.OkAsync(HttpMethod.Get, "/v1/admin/operators/invitations"))["invitations"]!.AsArray()); // the bootstrap link was used

        var forGrace = (string)(await ada.OkAsync(HttpMethod.Post, "/v1/admin/operators/invitations", new { note = "for Grace" }))["enrolmentUrl"]!;
        time.Advance(TimeSpan.FromSeconds(1));
        var forLin = (string)(await ada.OkAsync(HttpMethod.Post, "/v1/admin/operators/invitations", new { note = "for Lin" }))["enrolmentUrl"]!;
        time.Advance(TimeSpan.FromSeconds(1));
        var used = (string)(await ada.OkAsync(HttpMethod.Post, "/v1/admin/operators/invitations"))["enrolmentUrl"]!;
        using (var max = new ConsoleClient(server, TestServer.NewClient()))
        {
            await max.EnrolAsync(used, "Max");
        }
        time.Advance(TimeSpan.FromSeconds(1));
        var late = (string)(await server.OkJsonAsync(HttpMethod.Post, "/v1/admin/operators/invitations", new { note = "by the key" }, bearer: TestServer.AdminKey))["enrolmentUrl"]!;

        // Pending: unused and unexpired, oldest first, with who invited; the links themselves are never shown again.
        var pending = (await ada.OkAsync(HttpMethod.Get, "/v1/admin/operators/invitations"))["invitations"]!.AsArray();
        Assert.Equal([("for Grace", adaId, "Ada"), ("for Lin", adaId, "Ada"), ("by the key", null, null)],
            pending.Select(i => ((string?)i!["note"], (string?)i["invitedBy"], (string?)i["invitedByName"])));
        Assert.DoesNotContain("pki_", pending.ToJsonString(), StringComparison.Ordinal);
        var graceId = (string)pending[0]!["id"]!;
        Assert.Equal(43, graceId.Length);

        // Cancelled: gone from the list, and the link is refused as cancelled (begin), however often.
        using (var cancel = await ada.SendAsync(HttpMethod.Delete, $"/v1/admin/operators/invitations/{graceId}"))
        {
            Assert.Equal(204, (int)cancel.StatusCode);
        }
        Assert.Equal(["for Lin", "by the key"], (await ada.OkAsync(HttpMethod.Get, "/v1/admin/operators/invitations"))["invitations"]!.AsArray()
            .Select(i => (string?)i!["note"]));
        using var grace = new ConsoleClient(server, TestServer.NewClient());
        using (var refused = await grace.SendAsync(HttpMethod.Post, "/v1/console/enrolment/begin", new { invitation = Secret(forGrace), name = "Grace" }))
        {
            await TestServer.ProblemAsync(refused, 410, 1177);
        }
        using (var again = await ada.SendAsync(HttpMethod.Delete, $"/v1/admin/operators/invitations/{graceId}"))
        {
            await TestServer.ProblemAsync(again, 409, 1179);
        }

        // Cancelled between an enrolment's begin and its finish: the finish is refused as cancelled, and no operator is made.
        using var lin = new ConsoleClient(server, TestServer.NewClient());
        var begin = await lin.OkAsync(HttpMethod.Post, "/v1/console/enrolment/begin", new { invitation = Secret(forLin), name = "Lin" });
        var linId = (string)(await ada.OkAsync(HttpMethod.Get, "/v1/admin/operators/invitations"))["invitations"]![0]!["id"]!;
        using (var cancel = await server.SendAsync(HttpMethod.Delete, $"/v1/admin/operators/invitations/{linId}", bearer: TestServer.AdminKey))
        {
            Assert.Equal(204, (int)cancel.StatusCode);
        }
        var created = await lin.Authenticator.CreateAsync(begin["options"]!.ToJsonString());
        using (var finish = await lin.SendAsync(HttpMethod.Post, "/v1/console/enrolment/finish",
            new JsonObject { ["ceremonyId"] = (string)begin["ceremonyId"]!, ["response"] = JsonNode.Parse(created) }.ToJsonString()))
        {
            await TestServer.ProblemAsync(finish, 410, 1177);
        }
        Assert.Equal(["Ada", "Max"], (await ada.OkAsync(HttpMethod.Get, "/v1/admin/operators"))["operators"]!.AsArray().Select(o => (string)o!["name"]!).Order());

        // Ids that name no pending invitation: used, malformed, unknown; an expired one (it stays for the purge, untouched).
        var maxId = Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Secret(used))))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');
        foreach (var id in new[] { maxId, "not-an-id", new string('A', 43) })
        {
            using var unknown = await ada.SendAsync(HttpMethod.Delete, $"/v1/admin/operators/invitations/{id}");
            await TestServer.ProblemAsync(unknown, 404, 1178);
        }
        var keyInvitation = (string)(await ada.OkAsync(HttpMethod.Get, "/v1/admin/operators/invitations"))["invitations"]![0]!["id"]!;
        time.Advance(TimeSpan.FromHours(24));
        await ada.SignInAsync();
        Assert.Empty((await ada.OkAsync(HttpMethod.Get, "/v1/admin/operators/invitations"))["invitations"]!.AsArray());
        using (var expired = await ada.SendAsync(HttpMethod.Delete, $"/v1/admin/operators/invitations/{keyInvitation}"))
        {
            await TestServer.ProblemAsync(expired, 404, 1178);
        }
        // Expired links are purged: the uncancelled one as abandoned, the cancelled ones without an event (they were ended, not abandoned).
        time.Advance(TimeSpan.FromSeconds(1));
        await server.Services<Passkeys.Server.Ceremonies.CeremonyPurgeService>().PurgeOnceAsync(default);
        using (var gone = await grace.SendAsync(HttpMethod.Post, "/v1/console/enrolment/begin", new { invitation = Secret(forGrace), name = "Grace" }))
        {
            await TestServer.ProblemAsync(gone, 400, 1172);
        }

        // Audited in the console's log, in the change's transaction, with who did it.
        var log = (await ada.OkAsync(HttpMethod.Get, "/v1/admin/operators/audit?limit=200"))["events"]!.AsArray();
        var typed = log.Where(e => ((string)e!["type"]!).StartsWith("operator_invitation.", StringComparison.Ordinal))
            .Select(e => ((string)e!["type"]!, (string)e["actor"]!["kind"]!, (string?)e["actor"]!["id"], (string)e["target"]!["kind"]!)).ToList();
        Assert.Equal(5, typed.Count(t => t.Item1 == "operator_invitation.created")); // bootstrap, Grace, Lin, Max, by the key
        Assert.Contains(("operator_invitation.created", "admin", null, "operatorInvitation"), typed);
        Assert.Equal([("operator_invitation.cancelled", "admin", null, "operatorInvitation"), ("operator_invitation.cancelled", "operator", adaId, "operatorInvitation")],
            typed.Where(t => t.Item1 == "operator_invitation.cancelled").OrderBy(t => t.Item2, StringComparer.Ordinal));
        var cancelledGrace = log.Single(e => (string)e!["type"]! == "operator_invitation.cancelled" && (string?)e["actor"]!["id"] == adaId)!;
        Assert.Equal(graceId, (string)cancelledGrace["target"]!["id"]!);
        Assert.Single(log, e => (string)e!["type"]! == "admin.abandoned"); // only the uncancelled, expired one ("by the key")
    }

    private static string Secret(string enrolmentUrl) => enrolmentUrl[(enrolmentUrl.IndexOf('=') + 1)..];

    [Fact]
    public async Task A_revoked_operator_is_signed_out_at_once_and_cannot_sign_in_again()
    {
        await using var server = await StartAsync();
        using var ada = await FirstOperatorAsync(server);
        var adaId = (string)(await ada.OkAsync(HttpMethod.Get, "/v1/console/session"))["operator"]!["id"]!;
        var invitation = (string)(await ada.OkAsync(HttpMethod.Post, "/v1/admin/operators/invitations"))["enrolmentUrl"]!;
        using var grace = new ConsoleClient(server, TestServer.NewClient());
        var graceId = (string)(await grace.EnrolAsync(invitation, "Grace"))["operator"]!["id"]!;
        await grace.OkAsync(HttpMethod.Get, "/v1/admin/tenants");

        using (var revoked = await ada.SendAsync(HttpMethod.Delete, $"/v1/admin/operators/{graceId}"))
        {
            Assert.Equal(204, (int)revoked.StatusCode);
        }
        using (var after = await grace.SendAsync(HttpMethod.Get, "/v1/admin/tenants"))
        {
            await TestServer.ProblemAsync(after, 401, 1006);
        }
        var begin = await grace.OkAsync(HttpMethod.Post, "/v1/console/sign-in/begin");
        var assertion = await grace.Authenticator.GetAsync(begin["options"]!.ToJsonString());
        using (var signIn = await grace.SendAsync(HttpMethod.Post, "/v1/console/sign-in/finish",
            new JsonObject { ["ceremonyId"] = (string)begin["ceremonyId"]!, ["response"] = JsonNode.Parse(assertion) }.ToJsonString()))
        {
            Assert.Equal(400, (int)signIn.StatusCode); // CredentialNotFound: the passkey went with the operator
        }
        using (var unknown = await ada.SendAsync(HttpMethod.Delete, $"/v1/admin/operators/{graceId}"))
        {
            await TestServer.ProblemAsync(unknown, 404, 1174);
        }

        // Signing out ends the session on the server, not only in the browser.
        var cookie = ada.Cookie;
        using (var signOut = await ada.SendAsync(HttpMethod.Post, "/v1/console/sign-out"))
        {
            Assert.Equal(204, (int)signOut.StatusCode);
        }
        ada.Cookie = cookie;
        using var replay = await ada.SendAsync(HttpMethod.Get, "/v1/admin/tenants");
        await TestServer.ProblemAsync(replay, 401, 1006);

        // Both ends are changes, audited in the console's log with who made them; the console
        // tenant itself was made by the server (actor system).
        var log = (await server.OkJsonAsync(HttpMethod.Get, "/v1/admin/operators/audit?limit=200", bearer: TestServer.AdminKey))["events"]!.AsArray();
        var typed = log.Select(e => ((string)e!["type"]!, (string)e["actor"]!["kind"]!, (string?)e["actor"]!["id"], (string?)e["target"]?["kind"], (string?)e["target"]?["id"])).ToList();
        Assert.Single(typed, t => t == ("user.deleted", "operator", adaId, "user", graceId));
        var signedOut = Assert.Single(log, e => (string)e!["type"]! == "session.revoked")!;
        Assert.Equal(("operator", adaId, "signed-out"), ((string)signedOut["actor"]!["kind"]!, (string?)signedOut["actor"]!["id"], (string?)signedOut["details"]!["reason"]));
        Assert.Single(typed, t => t == ("tenant.created", "system", null, "tenant", "_console"));
    }

    [Fact]
    public async Task An_operator_finds_a_user_sees_their_sessions_and_recovery_state_and_ends_their_sessions()
    {
        await using var server = await StartAsync();
        using var console = await FirstOperatorAsync(server);
        var signedUp = await server.SignUpAsync(TestServer.NewClient(), "mira");
        var userId = (string)signedUp["user"]!["id"]!;

        var byName = await console.OkAsync(HttpMethod.Get, "/v1/admin/tenants/default/users?q=mira");
        Assert.Equal(userId, (string)byName["users"]![0]!["id"]!);
        var byId = await console.OkAsync(HttpMethod.Get, $"/v1/admin/tenants/default/users?q={userId}");
        Assert.Equal("mira", (string)byId["users"]![0]!["name"]!);
        Assert.Empty((await console.OkAsync(HttpMethod.Get, "/v1/admin/tenants/default/users?q=nobody"))["users"]!.AsArray());

        var sessions = await console.OkAsync(HttpMethod.Get, $"/v1/admin/tenants/default/users/{userId}/sessions");
        Assert.Single(sessions["sessions"]!.AsArray());
        var codes = await console.OkAsync(HttpMethod.Get, $"/v1/admin/tenants/default/users/{userId}/recovery-codes");
        Assert.Equal(0, (int)codes["remaining"]!);

        var ended = await console.OkAsync(HttpMethod.Delete, $"/v1/admin/tenants/default/users/{userId}/sessions");
        Assert.Equal(1, (int)ended["ended"]!);
        using (var refresh = await server.SendAsync(HttpMethod.Post, "/v1/tenants/default/sessions/refresh", new { refreshToken = (string)signedUp["refreshToken"]! }))
        {
            await TestServer.ProblemAsync(refresh, 401, 1020);
        }
        Assert.Empty((await console.OkAsync(HttpMethod.Get, $"/v1/admin/tenants/default/users/{userId}/sessions"))["sessions"]!.AsArray());
        using var unknown = await console.SendAsync(HttpMethod.Delete, "/v1/admin/tenants/default/users/nobody/sessions");
        await TestServer.ProblemAsync(unknown, 404, 1010);
    }

    [Fact]
    public async Task An_app_users_passkey_for_the_same_rp_id_does_not_sign_in_to_the_console()
    {
        await using var server = await StartAsync();
        using var ada = await FirstOperatorAsync(server);
        // The default tenant's rpId is localhost, as is the console's here: the browser would offer this passkey.
        var appUser = TestServer.NewClient();
        await server.SignUpAsync(appUser, "mallory");
        using var mallory = new ConsoleClient(server, appUser);
        var begin = await mallory.OkAsync(HttpMethod.Post, "/v1/console/sign-in/begin");
        var assertion = await appUser.GetAsync(begin["options"]!.ToJsonString());
        using var finish = await mallory.SendAsync(HttpMethod.Post, "/v1/console/sign-in/finish",
            new JsonObject { ["ceremonyId"] = (string)begin["ceremonyId"]!, ["response"] = JsonNode.Parse(assertion) }.ToJsonString());
        await TestServer.ProblemAsync(finish, 400, 215); // CredentialNotFound: only the console tenant's passkeys are looked up
        Assert.Null(mallory.LastSetCookie);
        var failed = (await ada.OkAsync(HttpMethod.Get, "/v1/admin/operators/audit?ceremony=authentication&outcome=failed"))["events"]!.AsArray();
        Assert.Equal("CredentialNotFound", (string)failed.Single()!["error"]!);
    }

    [Fact]
    public async Task The_console_tenant_is_reachable_through_no_tenant_api()
    {
        await using var server = await StartAsync();
        await FirstOperatorAsync(server);
        using (var get = await server.SendAsync(HttpMethod.Get, "/v1/admin/tenants/_console", bearer: TestServer.AdminKey))
        {
            await TestServer.ProblemAsync(get, 404, 1008);
        }
        using (var delete = await server.SendAsync(HttpMethod.Delete, "/v1/admin/tenants/_console", bearer: TestServer.AdminKey))
        {
            await TestServer.ProblemAsync(delete, 404, 1008);
        }
        using (var put = await server.SendAsync(HttpMethod.Put, "/v1/admin/tenants/_console", new
        {
            rpId = "localhost", rpName = "X", origins = new[] { TestServer.Origin },
            userVerification = "preferred", attestation = "none", selfSignUp = true, cloneDetection = "suspend",
        }, bearer: TestServer.AdminKey))
        {
            await TestServer.ProblemAsync(put, 404, 1008);
        }
        using (var begin = await server.SendAsync(HttpMethod.Post, "/v1/tenants/_console/authentication/begin", new { }))
        {
            await TestServer.ProblemAsync(begin, 404, 1008);
        }
        using var create = await server.SendAsync(HttpMethod.Post, "/v1/admin/tenants", new
        {
            id = "_console", rpId = "localhost", rpName = "X", origins = new[] { TestServer.Origin },
            userVerification = "preferred", attestation = "none", selfSignUp = true, cloneDetection = "suspend",
        }, bearer: TestServer.AdminKey);
        await TestServer.ProblemAsync(create, 400, 1001);
    }

    [Fact]
    public async Task The_start_up_log_says_how_to_bootstrap_while_no_operator_exists_and_stops_once_one_does()
    {
        string[] store = [.. await NewStoreAsync(), "--Passkeys:PublicBaseUrl=" + TestServer.Origin];
        var first = new CapturingLoggerProvider();
        await using (var server = await TestServer.StartWithAsync(b => b.Logging.AddProvider(first), store))
        {
            Assert.Contains(first.Messages, m => m.Contains("/v1/admin/operators/bootstrap", StringComparison.Ordinal));
            using var ada = await FirstOperatorAsync(server);
        }
        var second = new CapturingLoggerProvider();
        await using (await TestServer.StartWithAsync(b => b.Logging.AddProvider(second), store))
        {
            Assert.DoesNotContain(second.Messages, m => m.Contains("/v1/admin/operators/bootstrap", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task The_console_page_is_served_at_console_with_the_pages_security_headers()
    {
        await using var server = await StartAsync();
        using var noRedirect = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = server.BaseAddress };
        using (var bare = await noRedirect.GetAsync("/console"))
        {
            Assert.Equal(301, (int)bare.StatusCode);
            Assert.EndsWith("/console/", bare.Headers.Location?.OriginalString, StringComparison.Ordinal);
        }
        using var page = await noRedirect.GetAsync("/console/");
        Assert.Equal(200, (int)page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("script-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("DENY", page.Headers.GetValues("X-Frame-Options").Single());
        Assert.Contains("<script type=\"module\" src=\"/console/js/main.js\"></script>", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_console_reached_at_an_ip_address_says_to_set_the_public_base_url()
    {
        // No PublicBaseUrl: the console would be at http://127.0.0.1:PORT, where no browser makes passkeys.
        await using var server = await TestServer.StartAsync(null, await NewStoreAsync());
        using (var bootstrap = await server.SendAsync(HttpMethod.Post, "/v1/admin/operators/bootstrap", bearer: TestServer.AdminKey))
        {
            await TestServer.ProblemAsync(bootstrap, 503, 1176);
        }
        using var response = await server.SendAsync(HttpMethod.Post, "/v1/console/sign-in/begin");
        await TestServer.ProblemAsync(response, 503, 1176);
    }
}
