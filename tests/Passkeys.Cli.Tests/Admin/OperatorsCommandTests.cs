using System.Text.Json.Nodes;
using Passkeys.Cli.Tests.Infrastructure;

namespace Passkeys.Cli.Tests.Admin;

/// <summary>`passkeys admin operators …` against a real server of its own (the console needs PublicBaseUrl).</summary>
public sealed class OperatorsCommandTests(AdminServer cli) : IClassFixture<AdminServer>
{
    [Fact]
    public async Task Bootstrap_prints_a_one_time_link_once_invite_prints_another_and_revoke_names_unknown_operators()
    {
        await using var server = await RealServer.StartAsync(new RealServerOptions { PublicBaseUrl = "http://localhost:5080" });
        var on = new CliInput { Url = server.Url.ToString() };

        var bootstrap = await cli.RunAsync(on, "admin", "operators", "bootstrap");
        bootstrap.AssertOk();
        Assert.Contains("enrolment link: http://localhost:5080/console/#enrol=pki_", bootstrap.Output, StringComparison.Ordinal);
        Assert.Contains("Open the link once", bootstrap.Error, StringComparison.Ordinal);

        var invite = await cli.RunAsync(on, "admin", "operators", "invite", "--note", "for Grace", "--json");
        invite.AssertOk();
        Assert.StartsWith("http://localhost:5080/console/#enrol=pki_", (string)invite.Json()["enrolmentUrl"]!, StringComparison.Ordinal);

        var list = await cli.RunAsync(on, "admin", "operators", "list");
        list.AssertOk();
        Assert.Contains("no operators yet", list.Output, StringComparison.Ordinal); // a link enrols nobody until it is opened

        var revoke = await cli.RunAsync(on, "admin", "operators", "revoke", "nobody", "--yes");
        Assert.Equal(1, revoke.Exit);
        Assert.StartsWith("error 1174 OperatorNotFound: ", revoke.Error, StringComparison.Ordinal);

        var audit = JsonNode.Parse(await (await server.Http.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/v1/admin/operators/audit")
        {
            Headers = { Authorization = new("Bearer", server.AdminKey) },
        })).Content.ReadAsStringAsync())!;
        Assert.Contains(audit["events"]!.AsArray(), e => (string?)e!["error"] == "POST /v1/admin/operators/bootstrap");
    }
}
