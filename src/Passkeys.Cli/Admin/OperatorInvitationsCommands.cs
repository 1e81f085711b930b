using System.CommandLine;

namespace Passkeys.Cli.Admin;

/// <summary>
/// <c>passkeys admin operators invitations</c> and <c>passkeys admin operators cancel INVITATIONID</c>:
/// the enrolment links not yet used, cancelled or expired, and cancelling one (docs/console.md). The
/// server never shows a link again (only its holder has the secret), so a pending invitation is
/// known here by its id, its note and its expiry.
/// </summary>
internal static class OperatorInvitationsCommands
{
    private const string Invitations = "v1/admin/operators/invitations";

    public static Command List(AdminOptions options)
    {
        var list = new Command("invitations", "List the pending operator invitations (not used, not cancelled, not expired)");
        list.Action = new AdminAction(options, async (call, ct) =>
        {
            var reply = await call.Http.GetAsync<PendingOperatorInvitationList>(Invitations, ct).ConfigureAwait(false);
            if (call.Json)
            {
                call.Out.WriteLine(reply.Json);
                return 0;
            }
            TextTable.Write(call.Out, ["id", "note", "invited by", "created", "expires"],
                reply.Value.Invitations.Select(i => new[] { i.Id, i.Note, InvitedBy(i), TextTable.Time(i.CreatedAt), TextTable.Time(i.ExpiresAt) }),
                "no pending invitations (passkeys admin operators invite)");
            return 0;
        });
        return list;
    }

    public static Command Cancel(AdminOptions options)
    {
        var id = new Argument<string>("INVITATIONID") { Description = "The invitation's id (from invitations)" };
        var yes = AdminCommand.YesOption();
        var cancel = new Command("cancel", "Cancel a pending operator invitation: its enrolment link is refused from then on") { id, yes };
        cancel.Action = new AdminAction(options, async (call, ct) =>
        {
            // Cannot be undone: the person would need a new invitation.
            if (!Confirmation.Ask(call.Console, call.Value(yes), $"Cancel operator invitation {call.Value(id)}? Its enrolment link stops working."))
            {
                return 1;
            }
            // The server's refusals (1178 no such pending invitation, 1179 cancelled already) reach
            // the person through AdminAction as "error CODE NAME: detail", exit code 1.
            await call.Http.SendAsync(HttpMethod.Delete, AdminHttp.Path(Invitations, call.Value(id)), null, ct).ConfigureAwait(false);
            if (!call.Json)
            {
                call.Out.WriteLine($"cancelled invitation {call.Value(id)}");
            }
            return 0;
        });
        return cancel;
    }

    // Null InvitedBy: made with the admin key (the bootstrap link, or `operators invite`); a name is
    // missing when the inviting operator was revoked since, so their id stands in.
    private static string InvitedBy(PendingOperatorInvitation invitation) =>
        invitation.InvitedByName ?? invitation.InvitedBy ?? "admin key";
}
