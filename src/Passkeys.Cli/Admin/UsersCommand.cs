using System.CommandLine;
using System.Text.Json.Nodes;

namespace Passkeys.Cli.Admin;

/// <summary><c>passkeys admin users list|show|delete --tenant T</c>.</summary>
internal static class UsersCommand
{
    public static Command Create(AdminOptions options)
    {
        var tenant = AdminCommand.TenantOption();
        var command = new Command("users", "A tenant's users and their passkeys") { tenant };
        string Users(AdminCall call) => AdminHttp.Path("v1/admin/tenants", call.Value(tenant)!) + "/users";

        var after = new Option<string?>("--after") { Description = "Start after this user id (the 'next' of the previous page)" };
        // Checked here although the server clamps: silently getting a page of another size misleads.
        var limit = AdminCommand.RangeOption("--limit", "Users per page, 1–1000 (server default: 100)", 1, 1000);
        var all = new Option<bool>("--all") { Description = "Follow 'next' to the last page" };
        var list = new Command("list", "List users in id order, a page at a time") { after, limit, all };
        list.Action = new AdminAction(options, (call, ct) => ListAsync(call, Users(call), call.Value(after), call.Value(limit), call.Value(all), ct));
        command.Subcommands.Add(list);

        var showId = UserIdArgument();
        var show = new Command("show", "Show a user and their passkeys") { showId };
        show.Action = new AdminAction(options, async (call, ct) =>
        {
            var reply = await call.Http.GetAsync<UserDetail>(AdminHttp.Path(Users(call), call.Value(showId)), ct).ConfigureAwait(false);
            if (call.Json)
            {
                call.Out.WriteLine(reply.Json);
                return 0;
            }
            var (user, credentials) = (reply.Value.User, reply.Value.Credentials);
            TextTable.Fields(call.Out, ("id", user.Id), ("name", user.Name), ("display name", user.DisplayName), ("passkeys", TextTable.Number(credentials.Count)));
            call.Out.WriteLine();
            TextTable.Write(call.Out, ["credential id", "name", "authenticator", "created", "last used", "synced", "default"],
                credentials.Select(c => new[] { c.Id, c.Name, c.AuthenticatorName, TextTable.Time(c.CreatedAt), TextTable.Time(c.LastUsedAt), TextTable.YesNo(c.Synced), TextTable.YesNo(c.IsDefault) }),
                "no passkeys");
            return 0;
        });
        command.Subcommands.Add(show);

        var deleteId = UserIdArgument();
        var yes = AdminCommand.YesOption();
        var delete = new Command("delete", "Delete a user with their passkeys and recovery codes") { deleteId, yes };
        delete.Action = new AdminAction(options, async (call, ct) =>
        {
            string userId = call.Value(deleteId);
            if (!Confirmation.Ask(call.Console, call.Value(yes), $"Delete user '{TextTable.Cell(userId)}' of tenant '{call.Value(tenant)}' with their passkeys?"))
            {
                return 1;
            }
            await call.Http.SendAsync(HttpMethod.Delete, AdminHttp.Path(Users(call), userId), null, ct).ConfigureAwait(false);
            if (!call.Json)
            {
                call.Out.WriteLine($"deleted user {TextTable.Cell(userId)}");
            }
            return 0;
        });
        command.Subcommands.Add(delete);
        return command;
    }

    private static Argument<string> UserIdArgument() => new("USERID") { Description = "The app's user id" };

    /// <summary>One page, or with <paramref name="all"/> every page joined into one list.</summary>
    private static async Task<int> ListAsync(AdminCall call, string path, string? after, int? limit, bool all, CancellationToken ct)
    {
        var users = new List<User>();
        var json = new JsonArray();
        string? next = after;
        do
        {
            string query = path + AdminHttp.Query(("after", next), ("limit", limit?.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            var page = await call.Http.GetAsync<UserPage>(query, ct).ConfigureAwait(false);
            users.AddRange(page.Value.Users);
            // The pages' own JSON objects are kept so --json --all passes on every member the server sent.
            if (JsonNode.Parse(page.Json)?["users"] is JsonArray pageUsers)
            {
                foreach (var user in pageUsers.ToList())
                {
                    pageUsers.Remove(user);
                    json.Add(user);
                }
            }
            // A page that ends on a user the previous one also ended on would loop forever.
            if (page.Value.Next is not null && page.Value.Next == next)
            {
                throw new CliException($"the server returned next='{page.Value.Next}' again; stopping");
            }
            next = page.Value.Next;
        }
        while (all && next is not null);

        if (call.Json)
        {
            call.Out.WriteLine(new JsonObject { ["users"] = json, ["next"] = next }.ToJsonString());
            return 0;
        }
        TextTable.Write(call.Out, ["id", "name", "display name"], users.Select(u => new[] { u.Id, u.Name, u.DisplayName }), "no users");
        if (next is not null)
        {
            call.Console.Error.WriteLine($"more users: --after {next} (or --all)");
        }
        return 0;
    }
}
