using System.Globalization;

namespace Passkeys.Server.Tenants.PublicSuffix;

/// <summary>
/// Reads the Public Suffix List (embedded <c>public_suffix_list.dat</c>) and answers whether a
/// domain is itself a public suffix, following the list's algorithm (publicsuffix.org/list):
/// a rule is the first whitespace-free token of a non-comment line; <c>*.x</c> matches any one
/// label before <c>x</c>; <c>!rule</c> is an exception that beats every other match and means
/// "the rule minus its leftmost label"; otherwise the matching rule with the most labels wins;
/// with no match the implicit rule <c>*</c> applies (every top-level label is a suffix). Both the
/// ICANN and the PRIVATE sections count, as they do for browsers (so <c>github.io</c> is a suffix).
/// Rules and domains are compared in their ASCII (punycode) form, lower case.
/// </summary>
public sealed class PublicSuffixList
{
    private static readonly Lazy<PublicSuffixList> Embedded = new(LoadEmbedded);

    private readonly HashSet<string> _rules = new(StringComparer.Ordinal);
    private readonly HashSet<string> _wildcards = new(StringComparer.Ordinal);
    private readonly HashSet<string> _exceptions = new(StringComparer.Ordinal);

    /// <summary>The list shipped with the server.</summary>
    public static PublicSuffixList Default => Embedded.Value;

    /// <summary>Parses a list in the PSL file format.</summary>
    public PublicSuffixList(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        while (reader.ReadLine() is { } line)
        {
            var trimmed = line.Trim();
            if (trimmed.Length == 0 || trimmed.StartsWith("//", StringComparison.Ordinal))
            {
                continue;
            }
            var end = trimmed.IndexOfAny([' ', '\t']);
            var rule = end < 0 ? trimmed : trimmed[..end];
            if (rule.StartsWith('!'))
            {
                _exceptions.Add(ToAscii(rule[1..]));
            }
            else if (rule.StartsWith("*.", StringComparison.Ordinal))
            {
                _wildcards.Add(ToAscii(rule[2..]));
            }
            else
            {
                _rules.Add(ToAscii(rule));
            }
        }
    }

    /// <summary>How many rules were read (for tests and diagnostics).</summary>
    public int Count => _rules.Count + _wildcards.Count + _exceptions.Count;

    /// <summary>The number of trailing labels of <paramref name="domain"/> that form its public suffix.</summary>
    public int SuffixLabelCount(string domain)
    {
        var labels = ToAscii(domain.TrimEnd('.')).Split('.');
        var n = labels.Length;
        // An exception rule beats every other rule: the suffix is the exception minus its leftmost label.
        for (var i = 0; i < n; i++)
        {
            if (_exceptions.Contains(string.Join('.', labels[i..])))
            {
                return n - i - 1;
            }
        }
        var longest = 1; // the implicit rule "*"
        for (var i = 0; i < n; i++)
        {
            var suffix = string.Join('.', labels[i..]);
            if (_rules.Contains(suffix))
            {
                longest = Math.Max(longest, n - i);
            }
            if (i > 0 && _wildcards.Contains(suffix))
            {
                longest = Math.Max(longest, n - i + 1);
            }
        }
        return longest;
    }

    /// <summary>True when the domain as a whole is a public suffix (<c>com</c>, <c>co.uk</c>, <c>github.io</c>, any lone top-level label).</summary>
    public bool IsPublicSuffix(string domain)
    {
        ArgumentException.ThrowIfNullOrEmpty(domain);
        return SuffixLabelCount(domain) >= ToAscii(domain.TrimEnd('.')).Split('.').Length;
    }

    private static PublicSuffixList LoadEmbedded()
    {
        using var stream = typeof(PublicSuffixList).Assembly.GetManifestResourceStream("public_suffix_list.dat")
            ?? throw new InvalidOperationException("The embedded public_suffix_list.dat is missing from the server assembly.");
        using var reader = new StreamReader(stream);
        return new PublicSuffixList(reader);
    }

    // Rules hold Unicode labels (e.g. 公司.cn); rpIds and origin hosts arrive as either form.
    private static string ToAscii(string domain)
    {
        try
        {
            return new IdnMapping().GetAscii(domain).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            return domain.ToLowerInvariant();
        }
    }
}
