using System.CommandLine;

namespace Passkeys.Cli.Admin;

/// <summary><c>passkeys admin signing-keys list|rotate --tenant T</c>: the keys the tenant's tokens are signed with.</summary>
internal static class SigningKeysCommand
{
    public static Command Create(AdminOptions options)
    {
        var tenant = AdminCommand.TenantOption();
        var command = new Command("signing-keys", "A tenant's token signing keys (ES256, published in its JWKS)") { tenant };
        string Keys(AdminCall call) => AdminHttp.Path("v1/admin/tenants", call.Value(tenant)!) + "/signing-keys";

        var list = new Command("list", "List the signing keys, newest first; retired ones stay in the JWKS for the overlap window");
        list.Action = new AdminAction(options, async (call, ct) =>
        {
            var reply = await call.Http.GetAsync<SigningKeyList>(Keys(call), ct).ConfigureAwait(false);
            if (call.Json)
            {
                call.Out.WriteLine(reply.Json);
                return 0;
            }
            TextTable.Write(call.Out, ["kid", "state", "created", "retired"],
                reply.Value.Keys.Select(k => new[] { k.Kid, k.RetiredAt is null ? "active" : "retired", TextTable.Time(k.CreatedAt), TextTable.Time(k.RetiredAt) }),
                "no signing keys yet (the first token creates one)");
            return 0;
        });
        command.Subcommands.Add(list);

        // Not confirmed: rotating is safe at any time, as tokens signed with the old key keep
        // verifying while it stays published; it is what to do when a key may have leaked.
        var rotate = new Command("rotate", "Make a new active signing key; the old one is retired");
        rotate.Action = new AdminAction(options, async (call, ct) =>
        {
            var reply = await call.Http.SendAsync<SigningKey>(HttpMethod.Post, Keys(call) + "/rotate", null, ct).ConfigureAwait(false);
            if (call.Json)
            {
                call.Out.WriteLine(reply.Json);
                return 0;
            }
            TextTable.Fields(call.Out, ("active kid", reply.Value.Kid), ("created", TextTable.Time(reply.Value.CreatedAt)));
            return 0;
        });
        command.Subcommands.Add(rotate);
        return command;
    }
}
