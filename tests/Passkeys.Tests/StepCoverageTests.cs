using System.Reflection;
using System.Text.RegularExpressions;
using Passkeys.Tests.Attestation;

namespace Passkeys.Tests;

/// <summary>
/// Keeps docs/security.md honest: every step of shared/spec/webauthn-l3-steps.md that is a check
/// (kind C, C/P, C+P) or a parse that must reject input (X!) has at least one test named after it,
/// and every step id cited in a test name exists in the spec.
/// </summary>
public partial class StepCoverageTests
{
    // Steps whose failing test lives in another test project, by design.
    private static readonly Dictionary<string, string> ElsewhereTested = new(StringComparer.Ordinal)
    {
        ["REG-29-store"] = "Passkeys.Server.Tests: Wrong_origin_fails_with_the_library_code_and_writes_only_an_audit_event (a failed ceremony stores nothing but its audit event)",
    };

    [GeneratedRegex(@"^\|\s*(?:[0-9.a-z]+\s*\|\s*)?\(?((?:REG|AUTH|ATT)-[A-Za-z0-9.\-]+)\)?\s*\|\s*.*?\s*\|\s*([A-Z/!+ ()X]*)\s*\|\s*$")]
    private static partial Regex StepRow();

    private static List<(string Id, string Kind)> Steps() =>
        File.ReadLines(SharedData.Path("spec", "webauthn-l3-steps.md"))
            .Select(line => StepRow().Match(line))
            .Where(m => m.Success)
            .Select(m => (m.Groups[1].Value, m.Groups[2].Value.Trim()))
            .ToList();

    private static List<string> TestNames() =>
        [.. typeof(StepCoverageTests).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance))
            .Where(m => m.GetCustomAttributes<FactAttribute>().Any())
            .Select(m => m.Name)];

    private static string Prefix(string id) => id.Replace('-', '_').Replace('.', '_');

    [SharedDataFact]
    public void Every_check_step_has_a_test_named_after_it()
    {
        var names = TestNames();
        var steps = Steps();
        Assert.True(steps.Count > 90, $"only {steps.Count} steps were read from the spec table");
        var missing = steps
            .Where(s => s.Kind is "C" or "C/P" or "C+P" or "X!")
            .Where(s => !ElsewhereTested.ContainsKey(s.Id))
            .Where(s => !names.Any(n => n.StartsWith(Prefix(s.Id), StringComparison.Ordinal)))
            .Select(s => s.Id)
            .ToList();
        Assert.True(missing.Count == 0, "steps without a failing test: " + string.Join(", ", missing));
    }

    [SharedDataFact]
    public void Every_step_id_in_a_test_name_exists_in_the_spec()
    {
        var prefixes = Steps().Select(s => Prefix(s.Id)).ToList();
        var unknown = TestNames()
            .Where(n => Regex.IsMatch(n, @"^(REG|AUTH|ATT)_"))
            .Where(n => !prefixes.Any(p => n.StartsWith(p, StringComparison.Ordinal)))
            .ToList();
        Assert.True(unknown.Count == 0, "tests named after unknown step ids: " + string.Join(", ", unknown));
    }
}
