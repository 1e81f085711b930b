using Microsoft.Extensions.Options;
using Passkeys.Server.Tenants;

namespace Passkeys.Server.Configuration;

/// <summary>Checks the configuration at start and says precisely what is wrong and how to fix it.</summary>
public sealed class PasskeysServerOptionsValidator : IValidateOptions<PasskeysServerOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, PasskeysServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        switch (options.Store)
        {
            case "sqlite":
                if (string.IsNullOrWhiteSpace(options.DataDirectory))
                {
                    errors.Add("Passkeys:DataDirectory must name a folder for the SQLite database (default ./data).");
                }
                break;
            case "postgres":
                if (string.IsNullOrWhiteSpace(options.ConnectionString))
                {
                    errors.Add("Passkeys:Store is 'postgres' but Passkeys:ConnectionString is empty; set it (e.g. Passkeys__ConnectionString=\"Host=…;Database=passkeys;Username=…;Password=…\").");
                }
                else if (ConnectionStringProblem(options.ConnectionString) is { } problem)
                {
                    errors.Add($"Passkeys:ConnectionString is not a valid PostgreSQL connection string: {problem}");
                }
                break;
            default:
                errors.Add($"Passkeys:Store must be 'sqlite' or 'postgres', not '{options.Store}'.");
                break;
        }
        if (!string.IsNullOrEmpty(options.AdminKey) && options.AdminKey.Length < 32)
        {
            errors.Add("Passkeys:AdminKey must be at least 32 characters (or empty to generate one into the data folder).");
        }
        if (!string.IsNullOrEmpty(options.AdminKey) && !string.IsNullOrEmpty(options.AdminKeyFile))
        {
            errors.Add("Passkeys:AdminKey and Passkeys:AdminKeyFile are both set; set only one.");
        }
        errors.AddRange(KeyProtectionProblems(options.KeyProtection));
        errors.AddRange(MetadataOptionsValidation.Problems(options.Metadata));
        var audit = options.Audit;
        if (audit.Retention is { } retention && retention != TimeSpan.Zero && retention < TimeSpan.FromHours(1))
        {
            errors.Add("Passkeys:Audit:Retention must be at least 01:00:00, or 0 (or empty) to keep audit events forever.");
        }
        if (options.Purge.BatchSize is < 1 or > 100_000)
        {
            errors.Add("Passkeys:Purge:BatchSize must be between 1 and 100000.");
        }
        if (options.Purge.BatchPause < TimeSpan.Zero || options.Purge.BatchPause > TimeSpan.FromMinutes(1))
        {
            errors.Add("Passkeys:Purge:BatchPause must be between 00:00:00 and 00:01:00.");
        }
        if (options.MaxRequestBodyBytes is < 1024 or > 16 * 1024 * 1024)
        {
            errors.Add("Passkeys:MaxRequestBodyBytes must be between 1024 and 16777216.");
        }
        var t = options.Tokens;
        if (t.Lifetime < TimeSpan.FromSeconds(10) || t.Lifetime > TimeSpan.FromDays(1))
        {
            errors.Add("Passkeys:Tokens:Lifetime must be between 00:00:10 and 1.00:00:00.");
        }
        if (t.KeyOverlap < t.Lifetime)
        {
            errors.Add("Passkeys:Tokens:KeyOverlap must be at least Passkeys:Tokens:Lifetime, or tokens signed by a retired key would stop verifying before they expire.");
        }
        if (t.KeyRotationInterval < TimeSpan.FromMinutes(1))
        {
            errors.Add("Passkeys:Tokens:KeyRotationInterval must be at least one minute.");
        }
        if (t.SessionLifetime < TimeSpan.FromMinutes(1) || t.SessionLifetime > TimeSpan.FromDays(400))
        {
            errors.Add("Passkeys:Tokens:SessionLifetime must be between 00:01:00 and 400.00:00:00.");
        }
        if (t.SessionIdleLifetime < TimeSpan.FromMinutes(1) || t.SessionIdleLifetime > t.SessionLifetime)
        {
            errors.Add("Passkeys:Tokens:SessionIdleLifetime must be at least one minute and at most Passkeys:Tokens:SessionLifetime.");
        }
        if (t.RefreshReuseGrace < TimeSpan.Zero || t.RefreshReuseGrace > TimeSpan.FromMinutes(5))
        {
            errors.Add("Passkeys:Tokens:RefreshReuseGrace must be between 00:00:00 (disabled) and 00:05:00.");
        }
        if (!string.IsNullOrEmpty(t.Issuer) && !Uri.TryCreate(t.Issuer, UriKind.Absolute, out _))
        {
            errors.Add($"Passkeys:Tokens:Issuer must be an absolute URL, not '{t.Issuer}'.");
        }
        errors.AddRange(options.Console.Problems());
        var c = options.Ceremonies;
        if (c.Timeout < TimeSpan.FromSeconds(1) || c.Timeout > TimeSpan.FromHours(1))
        {
            errors.Add("Passkeys:Ceremonies:Timeout must be between 00:00:01 and 01:00:00.");
        }
        if (c.PurgeInterval < TimeSpan.FromMilliseconds(100))
        {
            errors.Add("Passkeys:Ceremonies:PurgeInterval must be at least 100 ms.");
        }
        var r = options.RateLimits;
        if (r.CeremonyPerAddress < 1 || r.CeremonyPerTenant < 1 || r.RecoveryPerAddress < 1 || r.AdminPerAddress < 1 || r.ApiPerAddress < 1 || r.SessionPerAddress < 1)
        {
            errors.Add("Passkeys:RateLimits values must be positive.");
        }
        var rc = options.Recovery;
        if (rc.AttemptsPerAccount < 1 || rc.GenerationsPerAccount < 1 || rc.AttemptWindow < TimeSpan.FromSeconds(1) || rc.GenerationWindow < TimeSpan.FromSeconds(1))
        {
            errors.Add("Passkeys:Recovery budgets must be positive and their windows at least 00:00:01.");
        }
        errors.AddRange(EdgeOptionsValidation.Check(options));
        if (options.DefaultTenant.Enabled)
        {
            var d = options.DefaultTenant;
            foreach (var problem in TenantRules.Check(d.Id, d.RpId, d.RpName, d.EffectiveOrigins, d.RelatedOrigins ?? [], d.UserVerification, d.Attestation, d.Algorithms))
            {
                errors.Add("Passkeys:DefaultTenant: " + problem);
            }
            if (!Storage.CloneDetectionPolicy.All.Contains(d.CloneDetection))
            {
                errors.Add($"Passkeys:DefaultTenant: CloneDetection '{d.CloneDetection}' must be one of {string.Join(", ", Storage.CloneDetectionPolicy.All)}.");
            }
            if (d.AttestationPolicy?.Parse(d.Attestation, options.Metadata.Enabled, DateTimeOffset.UtcNow).Problem is { } attestationProblem)
            {
                errors.Add("Passkeys:DefaultTenant: " + attestationProblem);
            }
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static IEnumerable<string> KeyProtectionProblems(KeyProtectionOptions k)
    {
        if (!string.IsNullOrEmpty(k.KeyEncryptionKey) && !string.IsNullOrEmpty(k.KeyEncryptionKeyFile))
        {
            yield return "Passkeys:KeyProtection:KeyEncryptionKey and Passkeys:KeyProtection:KeyEncryptionKeyFile are both set; set only one.";
        }
        if (!string.IsNullOrEmpty(k.KeyEncryptionKey) && Tokens.KeyEncryptionKey.Problem(k.KeyEncryptionKey) is { } problem)
        {
            yield return "Passkeys:KeyProtection:KeyEncryptionKey " + problem;
        }
        if (!string.IsNullOrEmpty(k.KeyEncryptionKeyFile) && !File.Exists(k.KeyEncryptionKeyFile))
        {
            yield return $"Passkeys:KeyProtection:KeyEncryptionKeyFile names {Path.GetFullPath(k.KeyEncryptionKeyFile)}, which does not exist.";
        }
    }

    // Parsed here, not when the store is built, so a typo is reported with the other settings.
    private static string? ConnectionStringProblem(string connectionString)
    {
        try
        {
            _ = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
            return null;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException)
        {
            return e.Message;
        }
    }
}
