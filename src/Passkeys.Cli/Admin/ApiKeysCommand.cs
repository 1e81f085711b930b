using System.CommandLine;
using System.Text.Json.Nodes;

namespace Passkeys.Cli.Admin;

/// <summary><c>passkeys admin api-keys list|create|revoke --tenant T</c>: the keys an app's backend calls the API with.</summary>
internal static class ApiKeysCommand
{
    public static Command Create(AdminOptions options)
    {
        var tenant = AdminCommand.TenantOption();
        var command = new Command("api-keys", "A tenant's API keys (X-Api-Key for the app's backend)") { tenant };
        string Keys(AdminCall call) => AdminHttp.Path("v1/admin/tenants", call.Value(tenant)!) + "/api-keys";

        var list = new Command("list", "List the tenant's API keys, revoked ones included");
        list.Action = new AdminAction(options, async (call, ct) =>
        {
            var reply = await call.Http.GetAsync<ApiKeyList>(Keys(call), ct).ConfigureAwait(false);
            if (call.Json)
            {
                call.Out.WriteLine(reply.Json);
                return 0;
            }
            TextTable.Write(call.Out, ["id", "name", "created", "revoked"],
                reply.Value.ApiKeys.Select(k => new[] { k.Id, k.Name, TextTable.Time(k.CreatedAt), TextTable.Time(k.RevokedAt) }),
                "no API keys");
            return 0;
        });
        command.Subcommands.Add(list);

        var name = new Option<string>("--name") { Description = "What the key is for, e.g. backend (1–128 characters)", Required = true };
        var create = new Command("create", "Create an API key; the key is printed this once only") { name };
        create.Action = new AdminAction(options, async (call, ct) =>
        {
            var reply = await call.Http.SendAsync<ApiKeyCreated>(HttpMethod.Post, Keys(call), new JsonObject { ["name"] = call.Value(name) }, ct).ConfigureAwait(false);
            if (call.Json)
            {
                call.Out.WriteLine(reply.Json);
                return 0;
            }
            var k = reply.Value;
            TextTable.Fields(call.Out, ("id", k.Id), ("name", k.Name), ("created", TextTable.Time(k.CreatedAt)), ("key", k.Key));
            // The server keeps only a hash: there is no way to see this key again.
            call.Console.Error.WriteLine("The key is shown only this once: store it in the app's secrets now.");
            return 0;
        });
        command.Subcommands.Add(create);

        var keyId = new Argument<string>("KEYID") { Description = "The key's id (the part after pkk_), or the whole key" };
        var yes = AdminCommand.YesOption();
        var revoke = new Command("revoke", "Revoke an API key: calls with it fail with 401 from now on") { keyId, yes };
        revoke.Action = new AdminAction(options, async (call, ct) =>
        {
            string id = KeyId(call.Value(keyId));
            // Revoking cannot be undone and stops the backend that uses the key, hence the confirmation.
            if (!Confirmation.Ask(call.Console, call.Value(yes), $"Revoke API key {id} of tenant '{call.Value(tenant)}'? Calls with it will fail."))
            {
                return 1;
            }
            await call.Http.SendAsync(HttpMethod.Delete, AdminHttp.Path(Keys(call), id), null, ct).ConfigureAwait(false);
            if (!call.Json)
            {
                call.Out.WriteLine($"revoked API key {id}");
            }
            return 0;
        });
        command.Subcommands.Add(revoke);
        return command;
    }

    /// <summary>
    /// The id from a whole key <c>pkk_{16 hex}_{secret}</c> as well as a bare id, so a leaked key can
    /// be revoked by pasting it. The secret is never sent or printed.
    /// </summary>
    public static string KeyId(string value) =>
        value.StartsWith("pkk_", StringComparison.Ordinal) && value.Length > 21 && value[20] == '_' ? value[4..20] : value;
}
