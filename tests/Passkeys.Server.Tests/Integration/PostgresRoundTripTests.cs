using System.Collections.Concurrent;
using System.Diagnostics;
using Npgsql;
using Passkeys.Server.Tests.Storage;

namespace Passkeys.Server.Tests.Integration;

/// <summary>
/// How many times a ceremony step waits for PostgreSQL (docs/operations.md, "Storage"): writes whose
/// result the step does not need travel with its next statement or its COMMIT, and a finish reads
/// the credential and its user together. Counted from Npgsql's activities (one per command or batch
/// sent) of requests to this test's database; a regression guard for the round trips, not a timing.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresRoundTripTests(PostgresCluster cluster)
{
    [PostgresFact]
    public async Task A_sign_in_waits_for_the_database_once_to_begin_and_five_times_to_finish()
    {
        var database = await cluster.CreateDatabaseAsync();
        await using var server = await PostgresServer.OnDatabaseAsync(database);
        var client = TestServer.NewClient();
        await server.SignUpAsync(client, "trips");
        await server.SignInAsync(client); // the tenant's signing keys are then cached
        using var trips = new RoundTrips(new NpgsqlConnectionStringBuilder(database).Database!);

        var begin = await server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/authentication/begin", new { });
        var begun = trips.Take();
        var body = TestServer.FinishBody(begin, await client.GetAsync(begin["options"]!.ToJsonString()));
        trips.Take();
        var signIn = await server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/authentication/finish", body);
        var finished = trips.Take();

        Assert.False(string.IsNullOrEmpty((string?)signIn["refreshToken"]));
        // Begin: ceremony, "started" event (with its webhook deliveries) and funnel row sent with the COMMIT.
        Assert.Single(begun);
        // Finish: ceremony; credential + user; DELETE … RETURNING; counter UPDATE + session inserts;
        // "succeeded" event + funnel row + COMMIT. (It was 12, each statement and the COMMIT on its own.)
        Assert.True(finished.Count == 5, string.Join("\n", finished.Select(a => a.GetTagItem("db.query.text")))); // the SQL when it fails
    }

    /// <summary>Npgsql's activities of requests (an ASP.NET Core request activity above them) to one database.</summary>
    private sealed class RoundTrips : IDisposable
    {
        private readonly ActivityListener _listener;
        private readonly ConcurrentQueue<Activity> _seen = new();

        public RoundTrips(string database)
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name is "Npgsql" or "Microsoft.AspNetCore",
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
                ActivityStopped = activity =>
                {
                    if (activity.Source.Name == "Npgsql" && Equals(activity.GetTagItem("db.namespace"), database) && InRequest(activity))
                    {
                        _seen.Enqueue(activity);
                    }
                },
            };
            ActivitySource.AddActivityListener(_listener);
        }

        private static bool InRequest(Activity activity)
        {
            for (var a = activity.Parent; a is not null; a = a.Parent)
            {
                if (a.Source.Name == "Microsoft.AspNetCore")
                {
                    return true;
                }
            }
            return false;
        }

        /// <summary>The round trips seen since the last call.</summary>
        public List<Activity> Take()
        {
            var taken = new List<Activity>();
            while (_seen.TryDequeue(out var name))
            {
                taken.Add(name);
            }
            return taken;
        }

        public void Dispose() => _listener.Dispose();
    }
}
