using System.CommandLine;
using System.Text.Json.Nodes;

namespace Passkeys.Cli.Admin;

/// <summary><c>passkeys admin tenants list|show|create|update|delete</c>.</summary>
internal static class TenantsCommand
{
    private const string Tenants = "v1/admin/tenants";

    public static Command Create(AdminOptions options)
    {
        var command = new Command("tenants", "Tenants: relying-party settings, origins, sign-up policy");

        var list = new Command("list", "List the tenants");
        list.Action = new AdminAction(options, async (call, ct) =>
        {
            var reply = await call.Http.GetAsync<TenantList>(Tenants, ct).ConfigureAwait(false);
            if (call.Json)
            {
                call.Out.WriteLine(reply.Json);
                return 0;
            }
            TextTable.Write(call.Out, ["id", "rp id", "rp name", "origins", "uv", "attestation", "self sign-up"],
                reply.Value.Tenants.Select(t => new[] { t.Id, t.RpId, t.RpName, string.Join(' ', t.Origins), t.UserVerification, t.Attestation, TextTable.YesNo(t.SelfSignUp) }),
                "no tenants");
            return 0;
        });
        command.Subcommands.Add(list);

        var showId = IdArgument();
        var show = new Command("show", "Show one tenant's settings") { showId };
        show.Action = new AdminAction(options, async (call, ct) =>
            Print(call, await call.Http.GetAsync<Tenant>(AdminHttp.Path(Tenants, call.Value(showId)), ct).ConfigureAwait(false)));
        command.Subcommands.Add(show);

        var id = new Option<string>("--id") { Description = "The tenant id ([a-z0-9-], 1–64 characters; part of every tenant URL)", Required = true };
        var createSettings = new TenantSettings(required: true);
        var create = new Command("create", "Create a tenant") { id };
        createSettings.AddTo(create);
        create.Action = new AdminAction(options, async (call, ct) =>
        {
            var body = new JsonObject { ["id"] = call.Value(id) };
            createSettings.Apply(call.Result, body);
            return Print(call, await call.Http.SendAsync<Tenant>(HttpMethod.Post, Tenants, body, ct).ConfigureAwait(false));
        });
        command.Subcommands.Add(create);

        var updateId = IdArgument();
        var updateSettings = new TenantSettings(required: false);
        var update = new Command("update", "Change the given settings of a tenant; the others keep their values") { updateId };
        updateSettings.AddTo(update);
        update.Action = new AdminAction(options, async (call, ct) =>
        {
            string path = AdminHttp.Path(Tenants, call.Value(updateId));
            // The API replaces a tenant whole (PUT), so read it, change what was given, write it back.
            // The server's JSON is edited rather than the CLI's record, so that settings a newer
            // server has and this CLI does not know keep their values instead of being reset.
            var current = JsonNode.Parse(await call.Http.SendAsync(HttpMethod.Get, path, null, ct).ConfigureAwait(false)) as JsonObject
                ?? throw new CliException($"GET {path} did not answer with a tenant object");
            current.Remove("id");
            current.Remove("createdAt");
            updateSettings.Apply(call.Result, current);
            return Print(call, await call.Http.SendAsync<Tenant>(HttpMethod.Put, path, current, ct).ConfigureAwait(false));
        });
        command.Subcommands.Add(update);

        var deleteId = IdArgument();
        var yes = AdminCommand.YesOption();
        var delete = new Command("delete", "Delete a tenant with all its users, credentials and keys (its audit events are kept until the retention purge)") { deleteId, yes };
        delete.Action = new AdminAction(options, async (call, ct) =>
        {
            string tenant = call.Value(deleteId);
            if (!Confirmation.Ask(call.Console, call.Value(yes), $"Delete tenant '{tenant}' with all its users, credentials, API keys and signing keys?"))
            {
                return 1;
            }
            await call.Http.SendAsync(HttpMethod.Delete, AdminHttp.Path(Tenants, tenant), null, ct).ConfigureAwait(false);
            if (!call.Json)
            {
                call.Out.WriteLine($"deleted tenant {tenant}");
            }
            return 0;
        });
        command.Subcommands.Add(delete);
        return command;
    }

    private static Argument<string> IdArgument() => new("ID") { Description = "The tenant id" };

    private static int Print(AdminCall call, Reply<Tenant> reply)
    {
        if (call.Json)
        {
            call.Out.WriteLine(reply.Json);
            return 0;
        }
        var t = reply.Value;
        TextTable.Fields(call.Out,
            ("id", t.Id),
            ("rp id", t.RpId),
            ("rp name", t.RpName),
            ("origins", string.Join(' ', t.Origins)),
            ("related origins", string.Join(' ', t.RelatedOrigins ?? [])),
            ("user verification", t.UserVerification),
            ("attestation", t.Attestation),
            ("self sign-up", TextTable.YesNo(t.SelfSignUp)),
            ("algorithms", t.Algorithms is null ? "library default" : string.Join(' ', t.Algorithms)),
            ("created", TextTable.Time(t.CreatedAt)));
        return 0;
    }

    /// <summary>The settings options of create and update, and how each lands in the request body.</summary>
    private sealed class TenantSettings
    {
        private readonly Option<string> _rpId;
        private readonly Option<string> _rpName;
        private readonly Option<string[]> _origins;
        private readonly Option<string[]> _relatedOrigins = new("--related-origin")
        {
            Description = "A related origin (repeatable; replaces the list; given without a value it empties the list)",
            // Zero values allowed so that an update can clear the list.
            Arity = ArgumentArity.ZeroOrMore,
        };
        private readonly Option<string?> _userVerification = new("--user-verification") { Description = "required | preferred | discouraged (server default: preferred)" };
        private readonly Option<string?> _attestation = new("--attestation") { Description = "none | indirect | direct | enterprise (server default: none)" };
        private readonly Option<string[]> _algorithms = new("--algorithm")
        {
            Description = "A COSE algorithm to offer at registration, most preferred first: a name (ES256, EdDSA, ML-DSA-44, …) or number (-7) " +
                "(repeatable; replaces the list; given without a value it returns to the server's default list)",
            // Zero values: back to the default, which the API spells null (an empty list offers nothing and is refused).
            Arity = ArgumentArity.ZeroOrMore,
        };
        private readonly Option<bool?> _selfSignUp = new("--self-sign-up") { Description = "Let anyone register an account from the browser (--self-sign-up false turns it off)" };

        public TenantSettings(bool required)
        {
            _rpId = new("--rp-id") { Description = "The WebAuthn RP ID: the site's domain, e.g. shop.example", Required = required };
            _rpName = new("--rp-name") { Description = "The name browsers show, e.g. Shop", Required = required };
            _origins = new("--origin") { Description = "An allowed origin, e.g. https://shop.example (repeatable; replaces the list)", Required = required };
            _userVerification.AcceptOnlyFromAmong("required", "preferred", "discouraged");
            _attestation.AcceptOnlyFromAmong("none", "indirect", "direct", "enterprise");
        }

        public void AddTo(Command command)
        {
            command.Options.Add(_rpId);
            command.Options.Add(_rpName);
            command.Options.Add(_origins);
            command.Options.Add(_relatedOrigins);
            command.Options.Add(_userVerification);
            command.Options.Add(_attestation);
            command.Options.Add(_selfSignUp);
            command.Options.Add(_algorithms);
        }

        /// <summary>Sets the members whose options were given; leaves the rest as they are.</summary>
        public void Apply(ParseResult result, JsonObject body)
        {
            Set(result, _rpId, body, "rpId", v => JsonValue.Create(v));
            Set(result, _rpName, body, "rpName", v => JsonValue.Create(v));
            Set(result, _origins, body, "origins", Array);
            Set(result, _relatedOrigins, body, "relatedOrigins", Array);
            Set(result, _userVerification, body, "userVerification", v => JsonValue.Create(v));
            Set(result, _attestation, body, "attestation", v => JsonValue.Create(v));
            Set(result, _selfSignUp, body, "selfSignUp", v => JsonValue.Create(v));
            Set(result, _algorithms, body, "algorithms", v => v.Length == 0 ? null : Algorithms(v));
        }

        private static void Set<T>(ParseResult result, Option<T> option, JsonObject body, string name, Func<T, JsonNode?> json)
        {
            // Given on the command line, as opposed to absent: only then does it change anything.
            if (result.GetResult(option) is { Implicit: false })
            {
                body[name] = json(result.GetValue(option)!);
            }
        }

        // Numbers go as JSON numbers, names as strings: the API takes either.
        private static JsonArray Algorithms(string[] values) => new([.. values.Select(v =>
            int.TryParse(v, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var n)
                ? (JsonNode?)JsonValue.Create(n) : JsonValue.Create(v))]);

        private static JsonArray Array(string[] values) => new([.. values.Select(v => (JsonNode?)JsonValue.Create(v))]);
    }
}
