using System.CommandLine;
using System.Globalization;

namespace Passkeys.Cli.Admin;

/// <summary>
/// <c>passkeys admin funnel --tenant T [--from --to]</c>: how many ceremonies were started,
/// succeeded, failed or abandoned, and failure rates by browser, to spot where users drop off.
/// </summary>
internal static class FunnelCommand
{
    public static Command Create(AdminOptions options)
    {
        var tenant = AdminCommand.TenantOption();
        var from = TimeOption.Create("--from", "Count events at or after");
        var to = TimeOption.Create("--to", "Count events before");
        var command = new Command("funnel", "Ceremony outcomes per ceremony and failure rates per browser") { tenant, from, to };
        command.Action = new AdminAction(options, async (call, ct) =>
        {
            string path = AdminHttp.Path("v1/admin/tenants", call.Value(tenant)!) + "/audit/funnel"
                + AdminHttp.Query(("from", TimeOption.Format(call.Value(from))), ("to", TimeOption.Format(call.Value(to))));
            var reply = await call.Http.GetAsync<Funnel>(path, ct).ConfigureAwait(false);
            if (call.Json)
            {
                call.Out.WriteLine(reply.Json);
                return 0;
            }
            TextTable.Write(call.Out, ["ceremony", "started", "succeeded", "failed", "abandoned", "success"],
                reply.Value.Ceremonies.Select(c => new[]
                {
                    c.Ceremony, TextTable.Number(c.Started), TextTable.Number(c.Succeeded), TextTable.Number(c.Failed), TextTable.Number(c.Abandoned),
                    Percent(c.Succeeded, c.Started),
                }),
                "no ceremonies");
            call.Out.WriteLine();
            TextTable.Write(call.Out, ["browser", "os", "failed", "finished", "failure rate"],
                reply.Value.FailuresByBrowser.OrderByDescending(f => f.Failed).Select(f => new[]
                {
                    f.Browser ?? "(unknown)", f.Os ?? "(unknown)", TextTable.Number(f.Failed), TextTable.Number(f.Total), Percent(f.Failed, f.Total),
                }),
                "no finished ceremonies");
            return 0;
        });
        return command;
    }

    // Success is counted against started ceremonies: abandoned ones are the drop-off this shows.
    private static string Percent(long part, long whole) =>
        whole == 0 ? "-" : (100.0 * part / whole).ToString("0.0", CultureInfo.InvariantCulture) + "%";
}
