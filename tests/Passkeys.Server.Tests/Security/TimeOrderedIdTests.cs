using Passkeys.Server.Security;

namespace Passkeys.Server.Tests.Security;

/// <summary>
/// Ceremony and session ids sort by the time they were made (so a commit's new rows share their
/// index's rightmost page) and stay as unguessable as random ids, in plain base64url text.
/// </summary>
public sealed class TimeOrderedIdTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(1)]        // the last digit
    [InlineData(63)]       // the last digit's largest step
    [InlineData(64)]       // a carry into the next digit
    [InlineData(4095)]
    [InlineData(4096)]
    [InlineData(86_400_000)]               // a day
    [InlineData(100L * 365 * 86_400_000)] // a century
    public void A_later_id_compares_greater_byte_for_byte(long millisecondsLater)
    {
        var earlier = Secrets.TimeOrderedId(Start);
        var later = Secrets.TimeOrderedId(Start.AddMilliseconds(millisecondsLater));
        // Ordinal: what SQLite's BINARY collation and PostgreSQL's "C"-collated text comparison do.
        Assert.True(string.CompareOrdinal(earlier, later) < 0, $"{earlier} should sort before {later}");
    }

    [Fact]
    public void Ids_made_over_a_range_of_times_sort_in_that_order()
    {
        var random = new Random(7);
        var times = Enumerable.Range(0, 2000).Select(_ => Start.AddMilliseconds(random.NextInt64(0, 50L * 365 * 86_400_000))).Distinct().ToList();
        var ids = times.Select(t => (Time: t, Id: Secrets.TimeOrderedId(t))).ToList();
        Assert.Equal(ids.OrderBy(i => i.Time).Select(i => i.Id), ids.OrderBy(i => i.Id, StringComparer.Ordinal).Select(i => i.Id));
    }

    [Fact]
    public void Ids_of_the_same_millisecond_differ_in_their_random_part()
    {
        var ids = Enumerable.Range(0, 1000).Select(_ => Secrets.TimeOrderedId(Start)).ToList();
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.Single(ids.Select(i => i[..8]).Distinct());
        // 16 random bytes: 128 bits, as many as a RandomId(16) has.
        Assert.All(ids, i => Assert.Equal(16, Secrets.FromBase64Url(i[8..])!.Length));
    }

    [Fact]
    public void An_id_is_plain_base64url_text_of_a_fixed_length()
    {
        var id = Secrets.TimeOrderedId(Start);
        Assert.Equal(30, id.Length);
        Assert.NotNull(Secrets.FromBase64Url(id));
        Assert.Matches("^[A-Za-z0-9_-]{30}$", id);
    }

    [Fact]
    public void A_time_before_1970_is_taken_as_1970_rather_than_wrapping_around()
    {
        var id = Secrets.TimeOrderedId(DateTimeOffset.UnixEpoch.AddDays(-1));
        Assert.Equal("--------", id[..8]);
        Assert.True(string.CompareOrdinal(id, Secrets.TimeOrderedId(DateTimeOffset.UnixEpoch.AddMilliseconds(1))) < 0);
    }
}
