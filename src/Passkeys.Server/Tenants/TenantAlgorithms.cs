using System.Globalization;
using System.Text.Json;
using Passkeys.Ceremonies;
using Passkeys.Cose;
using Passkeys.Server.Errors;

namespace Passkeys.Server.Tenants;

/// <summary>
/// A tenant's <c>algorithms</c> setting: the COSE algorithms offered in <c>pubKeyCredParams</c>, most
/// preferred first, and so the only ones a registration may use (REG-20). Written as registered names
/// ("ES256", "EdDSA", "ML-DSA-44") or COSE numbers (-7, -8, -48); shown and stored as names and numbers
/// respectively. Null means the library default (<see cref="RelyingPartyOptions.Algorithms"/>), so a
/// tenant that never chose follows the default as it changes.
/// </summary>
public static class TenantAlgorithms
{
    /// <summary>
    /// Every algorithm a tenant may offer: each one the library verifies for a credential key.
    /// RS1 (SHA-1) is known only to verify legacy TPM attestation and is never a credential algorithm.
    /// </summary>
    public static readonly IReadOnlyList<CoseAlgorithm> Allowed =
    [
        .. Enum.GetValues<CoseAlgorithm>().Where(a => a != CoseAlgorithm.RS1 && CoseAlgorithms.IsKnown(a) && CoseAlgorithms.IsSupported(a)),
    ];

    /// <summary>The names of <paramref name="algorithms"/> as the admin API shows them.</summary>
    public static IReadOnlyList<string>? Names(IReadOnlyList<CoseAlgorithm>? algorithms) =>
        algorithms is null ? null : [.. algorithms.Select(CoseAlgorithms.Name)];

    /// <summary>The setting as text for a cache fingerprint: "default", or the numbers in order.</summary>
    public static string Fingerprint(IReadOnlyList<CoseAlgorithm>? algorithms) =>
        algorithms is null ? "default" : string.Join(',', algorithms.Select(a => ((int)a).ToString(CultureInfo.InvariantCulture)));

    /// <summary>The entries of a JSON body's list as text: a string's value or a number's digits.</summary>
    public static IReadOnlyList<string>? FromJson(IReadOnlyList<JsonElement>? entries) =>
        entries is null ? null : [.. entries.Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText())];

    /// <summary>
    /// Parses a setting written as names or numbers. Null stays null (the library default); otherwise
    /// every problem is reported with <see cref="ServerError.AlgorithmsInvalid"/> and the list is null.
    /// </summary>
    public static (IReadOnlyList<CoseAlgorithm>? Algorithms, IReadOnlyList<TenantProblem> Problems) Parse(IReadOnlyList<string>? entries)
    {
        if (entries is null)
        {
            return (null, []);
        }
        var problems = new List<TenantProblem>();
        if (entries.Count == 0)
        {
            problems.Add(Problem("algorithms is empty: list at least one, e.g. [\"ES256\"], or leave it out for the default."));
        }
        var parsed = new List<CoseAlgorithm>();
        foreach (var entry in entries)
        {
            if (Find(entry) is not { } alg)
            {
                problems.Add(Problem($"algorithms: '{entry}' is not an algorithm a passkey may use; use one of {string.Join(", ", Allowed.Select(CoseAlgorithms.Name))} (or its COSE number)."));
            }
            else if (parsed.Contains(alg))
            {
                problems.Add(Problem($"algorithms lists {CoseAlgorithms.Name(alg)} more than once."));
            }
            else
            {
                parsed.Add(alg);
            }
        }
        return problems.Count == 0 ? (parsed, []) : (null, problems);
    }

    // By registered name (any case: "es256" is ES256) or by COSE number ("-7").
    private static CoseAlgorithm? Find(string? entry)
    {
        if (string.IsNullOrEmpty(entry))
        {
            return null;
        }
        if (int.TryParse(entry, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            return Allowed.Contains((CoseAlgorithm)number) ? (CoseAlgorithm)number : null;
        }
        foreach (var alg in Allowed)
        {
            if (string.Equals(CoseAlgorithms.Name(alg), entry, StringComparison.OrdinalIgnoreCase))
            {
                return alg;
            }
        }
        return null;
    }

    private static TenantProblem Problem(string message) => new(ServerError.AlgorithmsInvalid, message);
}
