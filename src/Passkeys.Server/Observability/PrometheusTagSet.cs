namespace Passkeys.Server.Observability;

/// <summary>
/// The tags of one measurement, up to four, as a dictionary key that is built without allocating:
/// <see cref="PrometheusExporter"/> finds a series by it on every measurement (a store call, a
/// ceremony step), where building the sorted label text each time cost a list, a sort and a few
/// strings per measurement. Tags are kept in the order the caller gave them; one tag set given in
/// two orders makes two keys, which the exporter maps to one series through its label text.
/// </summary>
internal readonly struct PrometheusTagSet : IEquatable<PrometheusTagSet>
{
    /// <summary>The most tags a key holds; measurements with more use the label text as their key.</summary>
    public const int MaxTags = 4;

    private readonly int _count;
    private readonly KeyValuePair<string, object?> _t0, _t1, _t2, _t3;

    private PrometheusTagSet(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        _count = tags.Length;
        _t0 = tags.Length > 0 ? tags[0] : default;
        _t1 = tags.Length > 1 ? tags[1] : default;
        _t2 = tags.Length > 2 ? tags[2] : default;
        _t3 = tags.Length > 3 ? tags[3] : default;
    }

    /// <summary>A key for <paramref name="tags"/>, or false when there are more than <see cref="MaxTags"/>.</summary>
    public static bool TryCreate(ReadOnlySpan<KeyValuePair<string, object?>> tags, out PrometheusTagSet set)
    {
        set = tags.Length <= MaxTags ? new PrometheusTagSet(tags) : default;
        return tags.Length <= MaxTags;
    }

    public bool Equals(PrometheusTagSet other) =>
        _count == other._count && Same(_t0, other._t0) && Same(_t1, other._t1) && Same(_t2, other._t2) && Same(_t3, other._t3);

    public override bool Equals(object? obj) => obj is PrometheusTagSet other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(_count, Hash(_t0), Hash(_t1), Hash(_t2), Hash(_t3));

    private static bool Same(KeyValuePair<string, object?> a, KeyValuePair<string, object?> b) =>
        string.Equals(a.Key, b.Key, StringComparison.Ordinal) && Equals(a.Value, b.Value);

    private static int Hash(KeyValuePair<string, object?> tag) => HashCode.Combine(tag.Key, tag.Value);
}
