using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using Passkeys.Server.Observability;
using Passkeys.Server.Storage;
using Passkeys.Server.Storage.Postgres;
using Passkeys.Server.Storage.Sqlite;
using static Passkeys.Benchmarks.Ceiling.CeilingMode;

namespace Passkeys.Benchmarks.Ceiling;

/// <summary>
/// `store-floor`: what the store alone costs per sign-in. Runs exactly the store calls of a
/// passwordless sign-in (the begin step: ceremony, audit event, funnel row; the finish step:
/// ceremony, credential and user read in one statement, ceremony consumed, credential use, session and refresh
/// token, audit event, funnel row) through the real store, in this process, with no HTTP, JSON,
/// signature or token: the part of the server's CPU per sign-in that no change outside the store
/// can remove. Compare its CPU per sign-in with `ceiling`'s server and ceiling columns. Options:
/// <c>--store sqlite|postgres</c>, <c>--connection-string</c> (PostgreSQL: an empty database this
/// run may fill), <c>--postgres-data DIR</c> (the cluster's data folder: also the database's own
/// CPU per sign-in), <c>--concurrency 1,16,64</c>, <c>--rounds 2</c>, <c>--duration 5s</c>, <c>--users 64</c>,
/// <c>--without-funnel</c> (leaves out the analytics funnel row, the one write of a sign-in that issue 11's
/// "one commit per ceremony step" does not name: the floor of the writes it does name),
/// <c>--sqlite-serialized</c> (opens SQLite before the store, so it keeps its default serialized
/// mode instead of the store's multi-thread mode: what that setting saves).
/// </summary>
internal static class StoreFloorMode
{
    private const string Tenant = "floor";

    public static int Run(string[] args)
    {
        var cli = BenchOptions.Parse(args, ["--store", "--connection-string", "--concurrency", "--duration", "--rounds", "--users", "--postgres-data"],
            "--without-funnel", "--sqlite-serialized");
        var store = cli.Text("--store") ?? "sqlite";
        var connection = cli.Text("--connection-string");
        if (store is not ("sqlite" or "postgres") || (store == "postgres" && connection is null))
        {
            throw new ArgumentException("--store sqlite, or --store postgres with --connection-string (an empty database this run may fill)");
        }
        var levels = cli.Counts("--concurrency", "1,16,64");
        var duration = cli.Duration("--duration", "5s");
        var rounds = cli.Count("--rounds", 2);
        var users = cli.Count("--users", 64);
        var database = cli.Text("--postgres-data") is { } data ? new PostgresCpu(data) : null;
        var funnel = !cli.Flag("--without-funnel");
        if (cli.Flag("--sqlite-serialized"))
        {
            // SQLite accepts its process-wide settings only before its first database opens.
            using var first = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=:memory:");
            first.Open();
        }
        var folder = Path.Combine(Path.GetTempPath(), "passkeys-store-floor-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        using var meter = new Meter("store-floor");
        var metrics = new StoreMetrics(meter);
        SqlPasskeyStore passkeys = store == "sqlite"
            ? new SqlitePasskeyStore(Path.Combine(folder, "passkeys.db"), metrics)
            : new PostgresPasskeyStore(connection!, metrics);
        try
        {
            return RunAsync(passkeys, store, database, levels, duration, rounds, users, funnel).GetAwaiter().GetResult();
        }
        finally
        {
            (passkeys as IDisposable)?.Dispose();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<int> RunAsync(SqlPasskeyStore store, string kind, PostgresCpu? database, int[] levels, TimeSpan duration, int rounds, int userCount, bool funnel)
    {
        await store.MigrateAsync().ConfigureAwait(false);
        var credentials = await SeedAsync(store, userCount).ConfigureAwait(false);
        Console.WriteLine($"machine: {Environment.ProcessorCount} logical cores, .NET {Environment.Version}; store {kind}; {userCount} users, one passkey each");
        Console.WriteLine("the store calls of one passwordless sign-in (begin step + finish step), nothing else" + (funnel ? "" : "; without the funnel row"));
        var results = new List<(int Users, double Rate, double CpuMs, double DatabaseMs)>();
        foreach (var concurrency in levels)
        {
            await LoadAsync(store, credentials, concurrency, TimeSpan.FromSeconds(1), funnel).ConfigureAwait(false); // warm-up
            for (var round = 1; round <= rounds; round++)
            {
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var databaseCpu = database?.Total;
                var clock = Stopwatch.StartNew();
                var signIns = await LoadAsync(store, credentials, concurrency, duration, funnel).ConfigureAwait(false);
                var seconds = clock.Elapsed.TotalSeconds;
                var cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / signIns;
                var databaseMs = database is null ? double.NaN : (database.Total - databaseCpu!.Value).TotalMilliseconds / signIns;
                Console.WriteLine($"  c={concurrency} round {round}: {signIns / seconds:F0} sign-ins/s, {cpuMs:F3} ms CPU per sign-in" +
                    (database is null ? "" : $" (+ {databaseMs:F3} ms in PostgreSQL)"));
                results.Add((concurrency, signIns / seconds, cpuMs, databaseMs));
            }
        }
        Console.WriteLine();
        Console.WriteLine($"store {kind}: sign-ins/s and CPU per sign-in (median of rounds), store calls only");
        Console.WriteLine("users  sign-ins/s  CPU ms" + (database is null ? "" : "  database CPU ms"));
        foreach (var group in results.GroupBy(r => r.Users))
        {
            Console.WriteLine($"{group.Key,5}  {Median(group.Select(r => r.Rate)),10:F0}  {Median(group.Select(r => r.CpuMs)),6:F3}" +
                (database is null ? "" : $"  {Median(group.Select(r => r.DatabaseMs)),15:F3}"));
        }
        return 0;
    }

    private static async Task<CredentialRecordRow[]> SeedAsync(SqlPasskeyStore store, int count)
    {
        var now = DateTimeOffset.UtcNow;
        await using (var step = await store.BeginStepAsync().ConfigureAwait(false))
        {
            await step.CreateTenantAsync(new TenantRecord(Tenant, "localhost", "Store floor", ["http://localhost"], [], "preferred", "none", true, now))
                .ConfigureAwait(false);
            await step.CommitAsync().ConfigureAwait(false);
        }
        var credentials = new CredentialRecordRow[count];
        for (var i = 0; i < count; i++)
        {
            var user = new UserRecord(Tenant, "user-" + i, RandomNumberGenerator.GetBytes(32), "user" + i, "User " + i, now);
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            credentials[i] = new CredentialRecordRow(Tenant, RandomNumberGenerator.GetBytes(16), user.Id, user.Handle, key.ExportSubjectPublicKeyInfo(), -7, 0,
                true, true, true, ["internal"], Guid.Empty, "none", false, null, now, null);
            await using var step = await store.BeginStepAsync().ConfigureAwait(false);
            await step.AddCredentialAsync(credentials[i], user).ConfigureAwait(false);
            await step.CommitAsync().ConfigureAwait(false);
        }
        return credentials;
    }

    // Each of `concurrency` loops signs in a user of its own (no two loops share a credential's row).
    private static async Task<long> LoadAsync(SqlPasskeyStore store, CredentialRecordRow[] credentials, int concurrency, TimeSpan duration, bool funnel)
    {
        var until = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var loops = Enumerable.Range(0, concurrency).Select(loop => Task.Run(async () =>
        {
            long done = 0;
            for (var n = loop; Stopwatch.GetTimestamp() < until; n += concurrency)
            {
                await SignInAsync(store, credentials[n % credentials.Length], n, funnel).ConfigureAwait(false);
                done++;
            }
            return done;
        })).ToArray();
        return (await Task.WhenAll(loops).ConfigureAwait(false)).Sum();
    }

    private static readonly ClientInfo Client = new("127.0.0.1", "store-floor", "Chrome", "Linux", "desktop");

    private static async Task SignInAsync(SqlPasskeyStore store, CredentialRecordRow credential, long n, bool funnel)
    {
        var now = DateTimeOffset.UtcNow;
        var ceremonyId = Passkeys.Server.Security.Secrets.TimeOrderedId(now);
        await using (var begin = await store.BeginStepAsync().ConfigureAwait(false))
        {
            await begin.SaveCeremonyAsync(new CeremonyRecord(Tenant, ceremonyId, CeremonyKind.Authentication, RandomNumberGenerator.GetBytes(180), null, null,
                now, now.AddMinutes(5))).ConfigureAwait(false);
            await begin.AppendAuditEventAsync(Event(now, ceremonyId, "started", null, null)).ConfigureAwait(false);
            if (funnel)
            {
                await begin.RecordCeremonyBegunAsync(Passkeys.Server.Analytics.FunnelRows.Begun(Tenant, ceremonyId, "signIn", "modal", now, now.AddMinutes(5), null,
                    false, false, Client)).ConfigureAwait(false);
            }
            await begin.CommitAsync().ConfigureAwait(false);
        }
        await using var finish = await store.BeginStepAsync().ConfigureAwait(false);
        // One read, as the server's finish does: the ceremony, the credential the response names and its user.
        var read = await finish.GetCeremonyWithCredentialAsync(Tenant, ceremonyId, credential.Id).ConfigureAwait(false)
            ?? throw new InvalidOperationException("ceremony not found");
        var ceremony = read.Ceremony;
        var row = read.Credential?.Credential ?? throw new InvalidOperationException("credential not found");
        var user = read.Credential.User ?? throw new InvalidOperationException("user not found");
        _ = await finish.ConsumeCeremonyAsync(Tenant, ceremony.Id, CeremonyKind.Authentication).ConfigureAwait(false) ?? throw new InvalidOperationException("consumed twice");
        await finish.RecordCredentialUseAsync(Tenant, row.Id, row.SignCount + n + 1, true, true, now).ConfigureAwait(false);
        var session = new SessionRecord(Tenant, Passkeys.Server.Security.Secrets.TimeOrderedId(now), user.Id, row.Id, true, now, now, now.AddDays(30),
            now.AddDays(7), null, null, Client.Address, Client.UserAgent, Client.Browser, Client.Os);
        await finish.CreateSessionAsync(session, RandomNumberGenerator.GetBytes(32)).ConfigureAwait(false);
        await finish.AppendAuditEventAsync(Event(now, ceremonyId, "succeeded", user.Id, Convert.ToBase64String(row.Id))).ConfigureAwait(false);
        if (funnel)
        {
            await finish.RecordCeremonyFinishedAsync(Tenant, ceremonyId, new CeremonyFinish("succeeded", null, null, now, user.Id, Guid.Empty, null, true))
                .ConfigureAwait(false);
        }
        await finish.CommitAsync().ConfigureAwait(false);
    }

    private static AuditEventRecord Event(DateTimeOffset now, string ceremonyId, string outcome, string? userId, string? credentialId) =>
        new(0, Tenant, now, "authentication", outcome, ceremonyId, userId, credentialId, null, null, Client.Address, Client.UserAgent, Client.Browser,
            Client.Os, 0.1, "authentication." + outcome, "user", userId, "user", userId);
}
