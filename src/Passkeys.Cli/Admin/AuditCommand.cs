using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;

namespace Passkeys.Cli.Admin;

/// <summary>
/// <c>passkeys admin audit --tenant T [filters] [--follow]</c>: the tenant's ceremony events,
/// newest first; <c>--follow</c> then keeps polling and prints new events as they happen.
/// </summary>
internal static class AuditCommand
{
    /// <summary>The server's largest page: catching up after a burst takes as few requests as possible.</summary>
    private const int MaxPage = 1000;

    public static Command Create(AdminOptions options)
    {
        var tenant = AdminCommand.TenantOption();
        var ceremony = new Option<string?>("--ceremony") { Description = "registration | authentication | step-up | recovery | session" };
        ceremony.AcceptOnlyFromAmong("registration", "authentication", "step-up", "recovery", "session");
        var outcome = new Option<string?>("--outcome") { Description = "started | succeeded | failed | abandoned" };
        outcome.AcceptOnlyFromAmong("started", "succeeded", "failed", "abandoned");
        var user = new Option<string?>("--user") { Description = "Only this user id's events" };
        var from = TimeOption.Create("--from", "Events at or after");
        var to = TimeOption.Create("--to", "Events before");
        var limit = AdminCommand.RangeOption("--limit", "How many events, 1–1000", 1, MaxPage, 100);
        var follow = new Option<bool>("--follow") { Description = "Keep printing new events until Ctrl+C (oldest first, so new lines come last)" };
        var interval = AdminCommand.RangeOption("--interval", "Seconds between polls with --follow", 0.05, 3600, 2.0);
        var command = new Command("audit", "A tenant's audit events (one per ceremony step outcome), newest first")
        {
            tenant, ceremony, outcome, user, from, to, limit, follow, interval,
        };
        command.Action = new AdminAction(options, (call, ct) =>
        {
            if (call.Value(follow) && call.Value(to) is not null)
            {
                throw new CliException("--follow waits for new events; it cannot be combined with --to");
            }
            var query = new AuditQuery(AdminHttp.Path("v1/admin/tenants", call.Value(tenant)!) + "/audit",
                call.Value(ceremony), call.Value(outcome), call.Value(user), call.Value(from), call.Value(to));
            return call.Value(follow)
                ? FollowAsync(call, query, call.Value(limit) ?? 100, TimeSpan.FromSeconds(call.Value(interval) ?? 2), ct)
                : ListAsync(call, query, call.Value(limit) ?? 100, ct);
        });
        return command;
    }

    private static async Task<int> ListAsync(AdminCall call, AuditQuery query, int limit, CancellationToken ct)
    {
        var reply = await call.Http.GetAsync<AuditEventList>(query.Path(limit, before: null), ct).ConfigureAwait(false);
        if (call.Json)
        {
            call.Out.WriteLine(reply.Json);
            return 0;
        }
        if (reply.Value.Events.Count == 0)
        {
            call.Out.WriteLine("no events");
            return 0;
        }
        call.Out.WriteLine(Header);
        foreach (var e in reply.Value.Events)
        {
            call.Out.WriteLine(Line(e));
        }
        return 0;
    }

    /// <summary>
    /// Prints the latest <paramref name="limit"/> events oldest first, then polls for events with a
    /// higher id than the last one printed. Ids, not times, decide what is new: several events
    /// share a timestamp and clocks of several server nodes differ, but ids only grow.
    /// With --json each event is one line of JSON (JSON Lines), so a pipe can read them as they come.
    /// </summary>
    private static async Task<int> FollowAsync(AdminCall call, AuditQuery query, int limit, TimeSpan interval, CancellationToken ct)
    {
        try
        {
            var first = await PageAsync(call, query, limit, null, ct).ConfigureAwait(false);
            if (!call.Json)
            {
                call.Out.WriteLine(Header);
            }
            long seen = 0;
            seen = Print(call, first, seen);
            var wait = interval;
            while (true)
            {
                await Task.Delay(wait, ct).ConfigureAwait(false);
                wait = interval;
                try
                {
                    seen = Print(call, await NewerThanAsync(call, query, seen, ct).ConfigureAwait(false), seen);
                }
                catch (AdminProblemException e) when (e.Status == 429)
                {
                    // The admin rate limit is per client address and shared with other admin
                    // commands; a follower that stopped on it would miss the incident it watches.
                    wait = e.RetryAfter is { } after && after > interval ? after : interval;
                    call.Console.Error.WriteLine($"rate limited by the server; polling again in {wait.TotalSeconds:0.#} s");
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Cancellation is how --follow is meant to end: not an error. (From a terminal,
            // System.CommandLine's Ctrl+C handling still makes the process exit 130, as shells expect.)
            return 0;
        }
    }

    /// <summary>Every event newer than <paramref name="seen"/>, paging back (before=) when more than a page arrived.</summary>
    private static async Task<List<(AuditEvent Event, JsonNode? Json)>> NewerThanAsync(AdminCall call, AuditQuery query, long seen, CancellationToken ct)
    {
        var newer = new List<(AuditEvent, JsonNode?)>();
        long? before = null;
        while (true)
        {
            var page = await PageAsync(call, query, MaxPage, before, ct).ConfigureAwait(false);
            newer.AddRange(page.Where(p => p.Event.Id > seen));
            if (page.Count < MaxPage || page[^1].Event.Id <= seen)
            {
                return newer;
            }
            before = page[^1].Event.Id;
        }
    }

    /// <summary>One page, newest first, each event with its own JSON object for --json.</summary>
    private static async Task<List<(AuditEvent Event, JsonNode? Json)>> PageAsync(AdminCall call, AuditQuery query, int limit, long? before, CancellationToken ct)
    {
        var reply = await call.Http.GetAsync<AuditEventList>(query.Path(limit, before), ct).ConfigureAwait(false);
        var json = JsonNode.Parse(reply.Json)?["events"] as JsonArray;
        return reply.Value.Events.Select((e, i) => (e, json?[i])).ToList();
    }

    /// <summary>Prints newest-first events oldest first; returns the highest id printed.</summary>
    private static long Print(AdminCall call, List<(AuditEvent Event, JsonNode? Json)> events, long seen)
    {
        for (int i = events.Count - 1; i >= 0; i--)
        {
            var (e, json) = events[i];
            if (e.Id <= seen)
            {
                continue;
            }
            call.Out.WriteLine(call.Json ? json?.ToJsonString() : Line(e));
            seen = e.Id;
        }
        call.Out.Flush();
        return seen;
    }

    // Fixed widths rather than a measured table: with --follow lines are printed as events arrive.
    private static readonly string Header = Row("at", "ceremony", "outcome", "ms", "client", "browser", "user", "error");

    private static string Line(AuditEvent e) => Row(
        TextTable.Time(e.At), e.Ceremony, e.Outcome,
        e.DurationMs?.ToString("0.0", CultureInfo.InvariantCulture) ?? "-",
        TextTable.Cell(e.ClientAddress),
        TextTable.Cell(e.Browser is null && e.Os is null ? null : $"{e.Browser ?? "?"}/{e.Os ?? "?"}"),
        TextTable.Cell(e.UserId),
        e.ErrorCode is null ? "-" : $"{e.ErrorCode} {TextTable.Cell(e.Error)}");

    private static string Row(string at, string ceremony, string outcome, string ms, string client, string browser, string user, string error) =>
        $"{at,-20}  {ceremony,-14}  {outcome,-9}  {ms,7}  {client,-15}  {browser,-16}  {user,-24}  {error}".TrimEnd();

    /// <summary>The filters, fixed for the whole command; pages differ in limit and before.</summary>
    private sealed record AuditQuery(string Base, string? Ceremony, string? Outcome, string? UserId, DateTimeOffset? From, DateTimeOffset? To)
    {
        public string Path(int limit, long? before) => Base + AdminHttp.Query(
            ("ceremony", Ceremony), ("outcome", Outcome), ("userId", UserId), ("from", TimeOption.Format(From)), ("to", TimeOption.Format(To)),
            ("before", before?.ToString(CultureInfo.InvariantCulture)), ("limit", limit.ToString(CultureInfo.InvariantCulture)));
    }
}
