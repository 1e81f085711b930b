using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Passkeys.Server.Configuration;

namespace Passkeys.Server.Tests.Integration;

/// <summary>
/// A key under <c>Passkeys</c> that is no setting stops the start naming it and the setting it most
/// likely meant, instead of leaving the default in force unnoticed.
/// </summary>
public sealed partial class UnknownSettingsTests
{
    private static List<string> Unknown(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)))
            .Build();
        var result = new UnknownSettingsValidator(configuration).Validate(null, new PasskeysServerOptions());
        return result.Failed ? [.. result.Failures] : [];
    }

    [Fact]
    public void A_typo_names_the_setting_it_most_likely_meant_at_any_depth()
    {
        Assert.Equal(["Passkeys:Stroe is not a setting; did you mean Passkeys:Store? (docs/operations.md lists the settings)"],
            Unknown(("Passkeys:Stroe", "postgres")));
        Assert.Equal(["Passkeys:DefaultTenant:UserVerificaton is not a setting; did you mean Passkeys:DefaultTenant:UserVerification? (docs/operations.md lists the settings)"],
            Unknown(("Passkeys:DefaultTenant:UserVerificaton", "required")));
        Assert.Equal(["Passkeys:DefaultTenant:Orgins is not a setting; did you mean Passkeys:DefaultTenant:Origins? (docs/operations.md lists the settings)"],
            Unknown(("Passkeys:DefaultTenant:Orgins:0", "https://app.example")));
        Assert.Equal(["Passkeys:DefaultTenant:AttestationPolicy:AaguidAlow is not a setting; did you mean Passkeys:DefaultTenant:AttestationPolicy:AaguidAllow? (docs/operations.md lists the settings)"],
            Unknown(("Passkeys:DefaultTenant:AttestationPolicy:AaguidAlow:0", "cb69481e-8ff7-4039-93ec-0a2729a154a8")));
        // Webhooks are bound to their own options type, and checked against it.
        Assert.Equal(["Passkeys:Webhooks:Timeot is not a setting; did you mean Passkeys:Webhooks:Timeout? (docs/operations.md lists the settings)"],
            Unknown(("Passkeys:Webhooks:Timeot", "00:00:05")));
    }

    [Fact]
    public void A_key_like_no_setting_is_told_what_the_section_takes_and_every_one_is_reported()
    {
        var unknown = Unknown(("Passkeys:RateLimits:Burst", "5"), ("Passkeys:Stroe", "sqlite"));
        Assert.Equal(2, unknown.Count);
        Assert.Contains("Passkeys:RateLimits:Burst is not a setting; Passkeys:RateLimits takes AdminPerAddress, ApiPerAddress, CeremonyPerAddress, " +
            "CeremonyPerTenant, Enabled, RecoveryPerAddress, SessionPerAddress (docs/operations.md).", unknown);
        Assert.Contains(unknown, u => u.StartsWith("Passkeys:Stroe ", StringComparison.Ordinal));
    }

    [Fact]
    public void A_key_below_a_single_value_is_refused()
    {
        Assert.Equal(["Passkeys:Store:Kind is not a setting: Passkeys:Store takes a single value."], Unknown(("Passkeys:Store:Kind", "x")));
        Assert.Equal(["Passkeys:DefaultTenant:Origins:0:Host is not a setting: Passkeys:DefaultTenant:Origins:0 takes a single value."],
            Unknown(("Passkeys:DefaultTenant:Origins:0:Host", "x")));
    }

    [Fact]
    public void Settings_in_any_case_list_items_and_sections_outside_Passkeys_are_not_questioned()
    {
        Assert.Empty(Unknown(
            ("passkeys:store", "sqlite"), ("PASSKEYS:DEFAULTTENANT:ORIGINS:0", "https://a.example"), ("Passkeys:DefaultTenant:Origins:1", "https://b.example"),
            ("Passkeys:Webhooks:RetrySchedule:0", "00:00:05"), ("Passkeys:Proxy:KnownProxies:0", "10.0.0.5"), ("Passkeys:Console:IdleTimeout", "00:15:00"),
            ("Passkeys:Metadata:BlobPath", "/x"), ("Logging:LogLevel:Nonsense", "None"), ("Kestrel:Endpoints:Web:Url", "http://*:80")));
    }

    [Fact]
    public void Every_setting_docs_operations_md_lists_is_one()
    {
        Assert.Empty(Unknown([.. DocumentedSettings().Where(d => !d.EndsWith('*')).Select(d => (d, "x"))]));
    }

    [Fact]
    public void Every_setting_is_in_docs_operations_md()
    {
        var documented = DocumentedSettings();
        var undocumented = Leaves("Passkeys", typeof(PasskeysServerOptions)).Concat(Leaves("Passkeys:Webhooks", typeof(Passkeys.Server.Webhooks.WebhookOptions)))
            .Where(setting => !documented.Any(d => d.Equals(setting, StringComparison.OrdinalIgnoreCase) ||
                (d.EndsWith(":*", StringComparison.Ordinal) && setting.StartsWith(d[..^1], StringComparison.OrdinalIgnoreCase))))
            .ToList();
        Assert.Empty(undocumented);
    }

    // The settings an options type takes, as full paths: lists count as one setting.
    private static IEnumerable<string> Leaves(string path, Type type) =>
        type.GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance)
            .Where(p => p.SetMethod?.IsPublic == true)
            .SelectMany(p => IsComplex(p.PropertyType) ? Leaves(path + ":" + p.Name, Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType) : [path + ":" + p.Name]);

    private static bool IsComplex(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsClass && type != typeof(string) && !type.IsArray && type != typeof(Uri);
    }

    private static List<string> DocumentedSettings()
    {
        var doc = File.ReadAllText(RepoFile("docs/operations.md"));
        var table = doc[doc.IndexOf("## Configuration (`Passkeys` section)", StringComparison.Ordinal)..];
        table = table[..table.IndexOf("\n## ", 1, StringComparison.Ordinal)];
        var documented = new List<string>();
        foreach (Match row in SettingRow().Matches(table))
        {
            // "`KeyProtection:KeyEncryptionKey` / `KeyEncryptionKeyFile`": later names share the first one's parent.
            var names = Backticked().Matches(row.Groups[1].Value).Select(m => m.Groups[1].Value).ToList();
            if (names.Count == 0)
            {
                continue; // the header and its rule
            }
            var parent = names[0].Contains(':', StringComparison.Ordinal) ? names[0][..(names[0].LastIndexOf(':') + 1)] : "";
            documented.AddRange(names.Select((n, i) => "Passkeys:" + (i == 0 || n.Contains(':', StringComparison.Ordinal) ? n : parent + n)));
        }
        Assert.True(documented.Count > 60, $"the table was not read: {documented.Count} settings");
        return documented;
    }

    [Fact]
    public void The_server_does_not_start_with_one()
    {
        var folder = Directory.CreateTempSubdirectory("passkeys-unknown-").FullName;
        try
        {
            var e = Assert.Throws<OptionsValidationException>(() => PasskeysServerApp.Build(
                ["--urls", "http://127.0.0.1:0", "--Passkeys:DataDirectory=" + folder, "--Passkeys:AdminKey=" + TestServer.AdminKey, "--Passkeys:Stroe=postgres"]));
            Assert.Equal("Passkeys:Stroe is not a setting; did you mean Passkeys:Store? (docs/operations.md lists the settings)", Assert.Single(e.Failures));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string RepoFile(string relative)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Passkeys.slnx")))
        {
            dir = dir.Parent;
        }
        return Path.Combine(dir!.FullName, relative);
    }

    [GeneratedRegex(@"^\| ([^|]+) \|", RegexOptions.Multiline)]
    private static partial Regex SettingRow();

    [GeneratedRegex(@"`([A-Za-z:*]+)`")]
    private static partial Regex Backticked();
}
