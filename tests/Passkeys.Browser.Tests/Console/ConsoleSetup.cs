using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Passkeys.Authenticator;
using Passkeys.Authenticator.Client;
using Passkeys.Browser.Tests.Infrastructure;

namespace Passkeys.Browser.Tests.OperatorConsole;

/// <summary>A server for console tests (its own admin key and clock) and the steps the tests share.</summary>
public static class ConsoleSetup
{
    public const string AdminKey = "browser-console-admin-key-0123456789abcdef";

    public static Task<ServerHost> StartAsync(TimeProvider? time = null, params string[] extra) =>
        ServerHost.StartAsync(time, ["--Passkeys:AdminKey=" + AdminKey, .. extra]);

    /// <summary>The admin key's bootstrap: the first operator's enrolment link.</summary>
    public static async Task<string> BootstrapAsync(ServerHost server)
    {
        using var http = new HttpClient { BaseAddress = new Uri(server.Origin) };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/admin/operators/bootstrap");
        request.Headers.Authorization = new("Bearer", AdminKey);
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return (string)JsonNode.Parse(body)!["enrolmentUrl"]!;
    }

    /// <summary>Opens an enrolment link and enrols as <paramref name="name"/> with the tab's authenticator.</summary>
    public static async Task EnrolAsync(IPage page, string enrolmentUrl, string name)
    {
        await page.GotoAsync(enrolmentUrl);
        await page.GetByLabel("Your name").FillAsync(name);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create my operator passkey" }).ClickAsync();
        await Assertions.Expect(page.Locator("#operator-name")).ToHaveTextAsync($"Signed in as {name}");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Tenants", Level = 1 })).ToBeVisibleAsync();
    }

    /// <summary>An app user signing up to the default tenant from the software authenticator (not the browser): returns the user id.</summary>
    public static async Task<string> SignUpWithSoftwareAuthenticatorAsync(ServerHost server, string name)
    {
        var client = new SoftwareClient(new SoftwareAuthenticator(), new SoftwareClientOptions { Origin = server.Origin });
        using var http = new HttpClient { BaseAddress = new Uri(server.Origin) };
        using var begin = await http.PostAsJsonAsync("/v1/tenants/default/registration/begin", new { user = new { name } });
        var begun = JsonNode.Parse(await begin.Content.ReadAsStringAsync())!;
        Assert.True(begin.IsSuccessStatusCode, begun.ToJsonString());
        var response = await client.CreateAsync(begun["options"]!.ToJsonString());
        var body = new JsonObject { ["ceremonyId"] = (string)begun["ceremonyId"]!, ["response"] = JsonNode.Parse(response) }.ToJsonString();
        using var finish = await http.PostAsync("/v1/tenants/default/registration/finish", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var finished = JsonNode.Parse(await finish.Content.ReadAsStringAsync())!;
        Assert.True(finish.IsSuccessStatusCode, finished.ToJsonString());
        return (string)finished["user"]!["id"]!;
    }

    /// <summary>Reads a JSON value the page computed (as a string, per the RECIPE pitfall).</summary>
    public static async Task<JsonElement> JsonAsync(IPage page, string script) => await page.EvalJsonAsync(script);
}
