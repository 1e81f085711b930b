using Passkeys.Server.Analytics;
using Passkeys.Server.Errors;
using Passkeys.Server.Observability;
using Passkeys.Server.Storage;
using Passkeys.Server.Tests.Integration;

namespace Passkeys.Server.Tests.Analytics;

/// <summary>The rules behind the numbers (docs/analytics.md), each on its own.</summary>
public sealed class AnalyticsRulesTests
{
    [Theory]
    [InlineData("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", "", "desktop")]
    [InlineData("Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36", "?1", "mobile")]
    [InlineData("Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36", "", "mobile")]
    [InlineData("Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", "?0", "tablet")]
    [InlineData("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1", "", "mobile")]
    [InlineData("Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1", "", "tablet")]
    [InlineData("", "?1", "mobile")] // a reduced or missing user agent: the hint decides
    [InlineData("", "?0", "desktop")]
    [InlineData("", "", null)]
    public void Device_type_comes_from_the_user_agent_and_the_mobile_hint(string ua, string mobile, string? expected) =>
        Assert.Equal(expected, ClientInfo.DeviceTypeOf(ua, mobile));

    [Theory]
    [InlineData("\"Android\"", "Android")]
    [InlineData("\"macOS\"", "macOS")]
    [InlineData("\"Chrome OS\"", "ChromeOS")]
    [InlineData("\"Windows\"", "Windows")]
    [InlineData("\"Fuchsia\"", null)] // unknown: the user agent decides
    [InlineData("", null)]
    public void The_platform_hint_names_the_os(string hint, string? expected) => Assert.Equal(expected, ClientInfo.OsOfPlatform(hint));

    [Theory]
    [InlineData(5, 1, 100, 10, true)]   // 20% against 10%: twice
    [InlineData(5, 1, 100, 11, false)]  // 20% against 11%: less than twice
    [InlineData(4, 4, 100, 10, false)]  // too few attempts
    [InlineData(5, 5, 10, 8, true)]     // every attempt failed, though twice 80% is over 100%
    [InlineData(5, 4, 10, 8, false)]
    [InlineData(5, 0, 10, 0, false)]    // no failures
    public void A_segment_stands_out_by_the_documented_rule(long attempts, long failures, long all, long allFailures, bool expected) =>
        Assert.Equal(expected, SegmentRule.StandsOut(attempts, failures, all, allFailures));

    [Theory]
    [InlineData(null, "modal")]
    [InlineData("optional", "modal")]
    [InlineData("required", "modal")]
    [InlineData("conditional", "conditional")]
    public void Mediation_uses_the_webauthn_words(string? requested, string funnel) => Assert.Equal(funnel, Mediations.Of(requested));

    [Theory]
    [InlineData("silent")]
    [InlineData("modal")]
    [InlineData("Conditional")]
    public void Another_mediation_is_refused(string requested) =>
        Assert.Equal(ServerError.ValidationFailed, Assert.Throws<ServerException>(() => Mediations.Of(requested)).Error);

    [Fact]
    public void Buckets_are_utc_hours_days_and_iso_weeks_from_monday()
    {
        var now = new DateTimeOffset(2030, 1, 10, 12, 0, 0, TimeSpan.Zero); // a Thursday
        var week = AnalyticsWindow.Of(new DateTimeOffset(2030, 1, 9, 15, 0, 0, TimeSpan.FromHours(2)), new DateTimeOffset(2030, 1, 21, 0, 0, 0, TimeSpan.Zero), "week", now);
        Assert.Equal([new DateTimeOffset(2030, 1, 7, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2030, 1, 14, 0, 0, 0, TimeSpan.Zero)], week.Buckets());
        Assert.Equal((week.From - (week.To - week.From), week.From), (week.Previous.From, week.Previous.To));
        var hours = AnalyticsWindow.Of(new DateTimeOffset(2030, 1, 9, 10, 30, 0, TimeSpan.Zero), new DateTimeOffset(2030, 1, 9, 12, 0, 0, TimeSpan.Zero), "hour", now);
        Assert.Equal(2, hours.Buckets().Count);
        var defaults = AnalyticsWindow.Of(null, null, null, now);
        Assert.Equal(("day", now.AddMilliseconds(1), now.AddMilliseconds(1).AddDays(-7)), (defaults.Period, defaults.To, defaults.From));
    }

    [Fact]
    public void Windows_that_cannot_be_answered_are_refused()
    {
        var now = DateTimeOffset.UtcNow;
        Assert.Equal(ServerError.AnalyticsRangeInvalid, Assert.Throws<ServerException>(() => AnalyticsWindow.Of(now, now, "day", now)).Error);
        Assert.Equal(ServerError.AnalyticsRangeInvalid, Assert.Throws<ServerException>(() => AnalyticsWindow.Of(now, now.AddDays(-1), "day", now)).Error);
        Assert.Equal(ServerError.AnalyticsRangeInvalid, Assert.Throws<ServerException>(() => AnalyticsWindow.Of(null, null, "month", now)).Error);
        Assert.Equal(ServerError.AnalyticsRangeInvalid, Assert.Throws<ServerException>(() => AnalyticsWindow.Of(now.AddDays(-42), now, "hour", now)).Error);
        var hour = new DateTimeOffset(2030, 1, 10, 12, 0, 0, TimeSpan.Zero);
        Assert.Equal(1000, AnalyticsWindow.Of(hour.AddHours(-1000), hour, "hour", now).Buckets().Count);
        Assert.Throws<ServerException>(() => AnalyticsWindow.Of(hour.AddHours(-1001), hour, "hour", now));
        // Answers that are not per period take any span.
        Assert.Equal(hour.AddDays(-5000), AnalyticsWindow.Of(hour.AddDays(-5000), hour, "hour", now, bucketed: false).From);
    }

    private static CeremonyOutcomeRecord Row(string mediation, string? server = null, string? client = null) =>
        new("t", "c", FunnelKinds.SignIn, mediation, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, null, false, false, null, null, null,
            ClientOutcome: client, ServerOutcome: server);

    [Fact]
    public void Each_row_has_one_result_and_unused_autofill_is_no_attempt()
    {
        Assert.Equal(FunnelResults.Succeeded, FunnelResults.Of(Row("modal", ServerOutcomes.Succeeded, ClientOutcomes.Cancelled)));
        Assert.Equal(FunnelResults.Cancelled, FunnelResults.Of(Row("modal", ServerOutcomes.Abandoned, ClientOutcomes.Cancelled)));
        Assert.Equal(FunnelResults.OtherClientError, FunnelResults.Of(Row("modal", null, ClientOutcomes.Security)));
        Assert.Equal(FunnelResults.Abandoned, FunnelResults.Of(Row("modal", ServerOutcomes.Abandoned)));
        Assert.Equal(FunnelResults.Pending, FunnelResults.Of(Row("modal")));
        Assert.True(FunnelResults.IsAttempt(Row("modal", ServerOutcomes.Abandoned)));
        Assert.False(FunnelResults.IsAttempt(Row("modal")));
        Assert.False(FunnelResults.IsAttempt(Row("conditional", ServerOutcomes.Abandoned)));
        Assert.True(FunnelResults.IsAttempt(Row("conditional", ServerOutcomes.Failed)));
        Assert.True(FunnelResults.IsAttempt(Row("conditional", ServerOutcomes.Abandoned, ClientOutcomes.NotAllowed)));
        Assert.Equal(2.5, FunnelResults.Median([4, 1, 3, 2]));
        Assert.Null(FunnelResults.Median([]));
    }

    [Fact]
    public async Task Analytics_queries_refuse_what_they_cannot_answer_with_their_own_code()
    {
        await using var server = await TestServer.StartAsync();
        foreach (var query in new[]
        {
            "funnels?from=2030-01-02T00:00:00Z&to=2030-01-01T00:00:00Z", "funnels?period=month", "funnels?from=2020-01-01T00:00:00Z&period=hour",
            "failures?kind=login", "ceremonies?result=won", "ceremonies?mediation=silent", "ceremonies?failed=yes",
        })
        {
            using var refused = await server.SendAsync(HttpMethod.Get, "/v1/admin/tenants/default/analytics/" + query, bearer: TestServer.AdminKey);
            await TestServer.ProblemAsync(refused, 400, 1164);
        }
        foreach (var query in new[] { "funnels?from=yesterday", "ceremonies?limit=0", "ceremonies?offset=-1", "overview?to=2030-01-01T00:00:00Z&to=2030-01-02T00:00:00Z" })
        {
            using var refused = await server.SendAsync(HttpMethod.Get, "/v1/admin/tenants/default/analytics/" + query, bearer: TestServer.AdminKey);
            await TestServer.ProblemAsync(refused, 400, 1001);
        }
        using (var anonymous = await server.SendAsync(HttpMethod.Get, "/v1/admin/tenants/default/analytics/overview"))
        {
            await TestServer.ProblemAsync(anonymous, 401, 1006);
        }
        using (var unknown = await server.SendAsync(HttpMethod.Get, "/v1/admin/tenants/nope/analytics/overview", bearer: TestServer.AdminKey))
        {
            await TestServer.ProblemAsync(unknown, 404, 1008);
        }
    }

    [Fact]
    public async Task Client_events_are_rate_limited_per_address_outside_the_tenants_ceremony_budget()
    {
        await using var server = await TestServer.StartAsync(null,
            "--Passkeys:RateLimits:Enabled=true", "--Passkeys:RateLimits:ApiPerAddress=2", "--Passkeys:RateLimits:CeremonyPerTenant=1000",
            "--Passkeys:RateLimits:CeremonyPerAddress=1000");
        var begin = await server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/authentication/begin", new { });
        var path = $"/v1/tenants/default/ceremonies/{(string)begin["ceremonyId"]!}/client-events";
        using (var first = await server.SendAsync(HttpMethod.Post, path, new { @event = "prompt-shown" }))
        {
            Assert.Equal(System.Net.HttpStatusCode.NoContent, first.StatusCode);
        }
        using (var second = await server.SendAsync(HttpMethod.Post, path, new { @event = "outcome", outcome = "cancelled" }))
        {
            Assert.Equal(System.Net.HttpStatusCode.NoContent, second.StatusCode);
        }
        using (var third = await server.SendAsync(HttpMethod.Post, path, new { @event = "outcome", outcome = "cancelled" }))
        {
            await TestServer.ProblemAsync(third, 429, 1014);
        }
        // The ceremonies themselves still have their own budget.
        await server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/authentication/begin", new { });
    }
}
