using System.Buffers.Text;
using System.Security.Cryptography;
using Passkeys.Cli.Tests.Infrastructure;

namespace Passkeys.Cli.Tests.Admin;

/// <summary>
/// `passkeys admin operators invitations` and `… cancel INVITATIONID` against a real server of their
/// own (SQLite file; the console needs PublicBaseUrl): pending links are listed by id and note, never
/// by link, and each refusal of a cancel reaches the person as the server's code and plain message.
/// </summary>
public sealed class OperatorInvitationsCommandTests(AdminServer cli) : IClassFixture<AdminServer>
{
    [Fact]
    public async Task Invitations_lists_pending_links_without_them_and_cancel_ends_one_once()
    {
        await using var server = await RealServer.StartAsync(new RealServerOptions { PublicBaseUrl = "http://localhost:5080" });
        var on = new CliInput { Url = server.Url.ToString() };

        var empty = await cli.RunAsync(on, "admin", "operators", "invitations");
        empty.AssertOk();
        Assert.Equal("no pending invitations (passkeys admin operators invite)", empty.Output.Trim());

        string grace = await InviteAsync(on, "for Grace");
        string alan = await InviteAsync(on, "for Alan");
        string graceId = IdOf(grace);
        string alanId = IdOf(alan);

        var both = await cli.RunAsync(on, "admin", "operators", "invitations");
        both.AssertOk();
        var lines = both.Output.TrimEnd().Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.Matches(@"^id\s+note\s+invited by\s+created\s+expires$", lines[0]);
        // Oldest first; made with the admin key; expiry to the second, 24 h (the default lifetime) after creation.
        Assert.Matches($@"^{Regex(graceId)}\s+for Grace\s+admin key\s+\d{{4}}-\d\d-\d\d \d\d:\d\d:\d\dZ\s+\d{{4}}-\d\d-\d\d \d\d:\d\d:\d\dZ$", lines[1]);
        Assert.StartsWith(alanId, lines[2], StringComparison.Ordinal);
        Assert.Contains("for Alan", lines[2], StringComparison.Ordinal);
        // The links are secrets their holders alone have: the list never shows them.
        Assert.DoesNotContain("pki_", both.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(grace, both.Output, StringComparison.Ordinal);

        var json = await cli.RunAsync(on, "admin", "operators", "invitations", "--json");
        json.AssertOk();
        var invitations = json.Json()["invitations"]!.AsArray();
        Assert.Equal([graceId, alanId], invitations.Select(i => (string)i!["id"]!));
        Assert.Equal("for Grace", (string)invitations[0]!["note"]!);
        var created = DateTimeOffset.Parse((string)invitations[0]!["createdAt"]!, System.Globalization.CultureInfo.InvariantCulture);
        var expires = DateTimeOffset.Parse((string)invitations[0]!["expiresAt"]!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(TimeSpan.FromHours(24), expires - created);
        Assert.Contains(expires.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture), lines[1], StringComparison.Ordinal);
        Assert.DoesNotContain("pki_", json.Output, StringComparison.Ordinal);

        // Without --yes and without a terminal to ask on, nothing is cancelled.
        var unconfirmed = await cli.RunAsync(on, "admin", "operators", "cancel", graceId);
        Assert.Equal(2, unconfirmed.Exit);
        Assert.Contains("Refusing without --yes", unconfirmed.Error, StringComparison.Ordinal);
        var declined = await cli.RunAsync(new CliInput { Url = on.Url, Terminal = true, Stdin = "n\n" }, "admin", "operators", "cancel", graceId);
        Assert.Equal(1, declined.Exit);
        Assert.Contains("nothing was changed", declined.Error, StringComparison.Ordinal);
        Assert.Equal(2, (await cli.RunAsync(on, "admin", "operators", "invitations", "--json")).Json()["invitations"]!.AsArray().Count);

        var cancel = await cli.RunAsync(on, "admin", "operators", "cancel", graceId, "--yes");
        cancel.AssertOk();
        Assert.Equal($"cancelled invitation {graceId}", cancel.Output.Trim());

        var one = await cli.RunAsync(on, "admin", "operators", "invitations");
        one.AssertOk();
        Assert.Equal(2, one.Output.TrimEnd().Split('\n').Length);
        Assert.DoesNotContain(graceId, one.Output, StringComparison.Ordinal);
        Assert.Contains(alanId, one.Output, StringComparison.Ordinal);

        var again = await cli.RunAsync(on, "admin", "operators", "cancel", graceId, "--yes");
        Assert.Equal(1, again.Exit);
        Assert.Equal("", again.Output);
        Assert.StartsWith("error 1179 OperatorInvitationAlreadyCancelled: This invitation was cancelled already. (HTTP 409, DELETE ", again.Error, StringComparison.Ordinal);

        // An id of the right form that no invitation has, and one that is not an invitation id at all.
        var unknown = await cli.RunAsync(on, "admin", "operators", "cancel", IdOf("pki_never-issued"), "--yes");
        Assert.Equal(1, unknown.Exit);
        Assert.StartsWith("error 1178 OperatorInvitationNotFound: There is no pending invitation with this id", unknown.Error, StringComparison.Ordinal);
        var malformed = await cli.RunAsync(on, "admin", "operators", "cancel", "not-an-id", "--yes");
        Assert.Equal(1, malformed.Exit);
        Assert.StartsWith("error 1178 OperatorInvitationNotFound: invitationId is not the id of an invitation", malformed.Error, StringComparison.Ordinal);

        // The cancelled link is refused when opened (from the console's own origin, as a browser would).
        using var open = new HttpRequestMessage(HttpMethod.Post, "/v1/console/enrolment/begin")
        {
            Content = new StringContent($$"""{"invitation":"{{Secret(grace)}}","name":"Grace"}""", System.Text.Encoding.UTF8, "application/json"),
            Headers = { { "Origin", "http://localhost:5080" } },
        };
        using var refused = await server.Http.SendAsync(open);
        Assert.Equal(410, (int)refused.StatusCode);
        Assert.Contains("1177", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task<string> InviteAsync(CliInput on, string note)
    {
        var invite = await cli.RunAsync(on, "admin", "operators", "invite", "--note", note, "--json");
        invite.AssertOk();
        return (string)invite.Json()["enrolmentUrl"]!;
    }

    // The server's invitation id: the base64url SHA-256 of the link's secret (what follows "#enrol=").
    private static string IdOf(string linkOrSecret) =>
        Base64Url.EncodeToString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Secret(linkOrSecret))));

    private static string Secret(string linkOrSecret) => linkOrSecret[(linkOrSecret.IndexOf('=', StringComparison.Ordinal) + 1)..];

    private static string Regex(string text) => System.Text.RegularExpressions.Regex.Escape(text);
}
