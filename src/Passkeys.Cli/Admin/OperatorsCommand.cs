using System.CommandLine;
using System.Text.Json.Nodes;

namespace Passkeys.Cli.Admin;

/// <summary>
/// <c>passkeys admin operators bootstrap|invite|invitations|cancel|list|revoke</c>: the people who may
/// sign in to the console at <c>/console</c> with a passkey (docs/console.md). The enrolment links
/// printed here are one-time secrets: whoever opens one first becomes an operator. A link sent to the
/// wrong person, or no longer needed, is cancelled by its invitation's id (from <c>invitations</c>).
/// </summary>
internal static class OperatorsCommand
{
    private const string Operators = "v1/admin/operators";

    public static Command Create(AdminOptions options)
    {
        var command = new Command("operators", "Console operators: enrol the first, invite, list or cancel pending invitations, list, revoke");

        var bootstrap = new Command("bootstrap", "While no operator exists: a one-time link that enrols the first console operator");
        bootstrap.Action = new AdminAction(options, (call, ct) => LinkAsync(call, Operators + "/bootstrap", null, ct));
        command.Subcommands.Add(bootstrap);

        var note = new Option<string?>("--note") { Description = "Who the invitation is for (kept in the console's audit log)" };
        var invite = new Command("invite", "A one-time link that enrols another console operator") { note };
        invite.Action = new AdminAction(options, (call, ct) =>
            LinkAsync(call, Operators + "/invitations", call.Value(note) is { } n ? new JsonObject { ["note"] = n } : new JsonObject(), ct));
        command.Subcommands.Add(invite);
        command.Subcommands.Add(OperatorInvitationsCommands.List(options));
        command.Subcommands.Add(OperatorInvitationsCommands.Cancel(options));

        var list = new Command("list", "List the console operators");
        list.Action = new AdminAction(options, async (call, ct) =>
        {
            var reply = await call.Http.GetAsync<ConsoleOperatorList>(Operators, ct).ConfigureAwait(false);
            if (call.Json)
            {
                call.Out.WriteLine(reply.Json);
                return 0;
            }
            TextTable.Write(call.Out, ["id", "name", "enrolled", "passkeys"],
                reply.Value.Operators.Select(o => new[] { o.Id, o.Name, TextTable.Time(o.CreatedAt), TextTable.Number(o.Passkeys) }),
                "no operators yet (passkeys admin operators bootstrap)");
            return 0;
        });
        command.Subcommands.Add(list);

        var id = new Argument<string>("OPERATORID") { Description = "The operator's id (from list)" };
        var yes = AdminCommand.YesOption();
        var revoke = new Command("revoke", "Revoke an operator: their passkeys are deleted and their console sessions end") { id, yes };
        revoke.Action = new AdminAction(options, async (call, ct) =>
        {
            // Cannot be undone: the operator would need a new invitation.
            if (!Confirmation.Ask(call.Console, call.Value(yes), $"Revoke console operator {call.Value(id)}? Their passkeys are deleted and they are signed out."))
            {
                return 1;
            }
            await call.Http.SendAsync(HttpMethod.Delete, AdminHttp.Path(Operators, call.Value(id)!), null, ct).ConfigureAwait(false);
            if (!call.Json)
            {
                call.Out.WriteLine($"revoked operator {call.Value(id)}");
            }
            return 0;
        });
        command.Subcommands.Add(revoke);
        return command;
    }

    private static async Task<int> LinkAsync(AdminCall call, string path, JsonNode? body, CancellationToken ct)
    {
        var reply = await call.Http.SendAsync<OperatorInvitation>(HttpMethod.Post, path, body, ct).ConfigureAwait(false);
        if (call.Json)
        {
            call.Out.WriteLine(reply.Json);
            return 0;
        }
        TextTable.Fields(call.Out, ("enrolment link", reply.Value.EnrolmentUrl), ("expires", TextTable.Time(reply.Value.ExpiresAt)));
        call.Console.Error.WriteLine("Open the link once, in the browser the operator will use, and create the passkey. Treat it as a secret until then.");
        return 0;
    }
}
