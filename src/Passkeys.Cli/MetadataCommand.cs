using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Passkeys.Attestation;
using Passkeys.Attestation.Metadata;
using Passkeys.Cli.Authenticator;

namespace Passkeys.Cli;

/// <summary>
/// `passkeys metadata FILE --root PEM [--at TIME] [--allow-stale]`: verifies a FIDO MDS3 BLOB
/// (JWS signature, chain to the given root, nextUpdate) and prints a summary of its entries.
/// There is no built-in root: the operator names the one they trust.
/// </summary>
internal static class MetadataCommand
{
    /// <summary>Latest statuses that mean the authenticator must not be trusted (FIDO MDS3 §3.1.4 AuthenticatorStatus).</summary>
    public static readonly IReadOnlySet<string> BadStatuses = new HashSet<string>(StringComparer.Ordinal)
    {
        "REVOKED", "USER_VERIFICATION_BYPASS", "ATTESTATION_KEY_COMPROMISE", "USER_KEY_REMOTE_COMPROMISE", "USER_KEY_PHYSICAL_COMPROMISE",
    };

    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "A FIDO MDS3 BLOB (the JWT from https://mds3.fidoalliance.org/)" };
        var root = RootOption();
        var at = AtOption();
        var allowStale = new Option<bool>("--allow-stale") { Description = "Accept a BLOB past its nextUpdate (inspection only)" };
        var command = new Command("metadata", "Verify a FIDO MDS3 metadata BLOB and summarize its entries") { file, root, at, allowStale };
        command.SetAction(r => AuthenticatorCommand.Guard(Console.Error, () =>
            Run(r.GetValue(file)!, r.GetValue(root), r.GetValue(at), r.GetValue(allowStale), Console.Out, Console.Error)));
        return command;
    }

    public static Option<string?> RootOption() => new("--root") { Description = "PEM file of the root the BLOB must chain to (for FIDO's production BLOB: GlobalSign Root CA - R3)" };

    public static Option<string?> AtOption() => new("--at") { Description = "Verify as of this ISO 8601 time instead of now, e.g. 2024-12-02T12:00:00Z" };

    /// <summary>Verifies and summarizes. Exit 0 verified, 1 not valid, 2 bad usage.</summary>
    public static int Run(string path, string? rootPem, string? at, bool allowStale, TextWriter output, TextWriter error)
    {
        string jwt = ReadFile(path);
        MetadataBlob blob;
        try
        {
            blob = Load(jwt, rootPem, at, allowStale);
        }
        catch (PasskeyException e)
        {
            error.WriteLine($"{path}: {e.Error} ({e.Code}): {e.Detail}");
            return 1;
        }

        output.WriteLine($"metadata BLOB {path}: verified");
        output.WriteLine($"number:      {blob.Number}");
        output.WriteLine($"nextUpdate:  {blob.NextUpdate:yyyy-MM-dd}");
        output.WriteLine($"entries:     {blob.Entries.Count}");
        output.WriteLine("by protocol:");
        foreach (var (protocol, count) in Counts(ProtocolFamilies(jwt, blob)))
        {
            output.WriteLine($"  {protocol,-28}{count}");
        }
        output.WriteLine("by latest status:");
        foreach (var (status, count) in Counts(blob.Entries.Select(e => e.LatestStatus?.Status ?? "(no status reports)")))
        {
            output.WriteLine($"  {status,-28}{count}");
        }
        var bad = blob.Entries.Where(e => e.LatestStatus is { } s && BadStatuses.Contains(s.Status)).ToList();
        output.WriteLine($"revoked or compromised: {bad.Count}");
        foreach (var entry in bad)
        {
            var status = entry.LatestStatus!;
            output.WriteLine($"  {Key(entry)}  {entry.Description ?? "(no description)"}  {status.Status} {status.EffectiveDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? ""}".TrimEnd());
        }
        return 0;
    }

    /// <summary>Verifies a BLOB against <paramref name="rootPem"/> (a PEM file path) at <paramref name="at"/> (ISO 8601) or now.</summary>
    /// <exception cref="CliException">No root given, or the root or time cannot be read.</exception>
    /// <exception cref="PasskeyException">The BLOB does not verify.</exception>
    public static MetadataBlob Load(string jwt, string? rootPem, string? at, bool allowStale)
    {
        if (rootPem is null)
        {
            throw new CliException("--root PEM is required: a metadata BLOB is only as good as the root it chains to, and none is built in (FIDO's production BLOB chains to GlobalSign Root CA - R3)");
        }
        X509Certificate2 root;
        try
        {
            root = X509Certificate2.CreateFromPem(ReadFile(rootPem));
        }
        catch (CryptographicException e)
        {
            throw new CliException($"{rootPem}: not a PEM certificate: {e.Message}", e);
        }
        return MetadataBlob.Parse(jwt, new MetadataBlobOptions
        {
            RootCertificate = root,
            TimeProvider = Clock(at),
            DangerouslyAllowStale = allowStale,
        });
    }

    /// <summary>A clock fixed at <paramref name="at"/>, or the system clock when null.</summary>
    public static TimeProvider Clock(string? at)
    {
        if (at is null)
        {
            return TimeProvider.System;
        }
        return DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? new FixedClock(time)
            : throw new CliException($"--at must be an ISO 8601 time such as 2024-12-02T12:00:00Z, not '{at}'");
    }

    public static string ReadFile(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot read {path}: {e.Message}", e);
        }
    }

    private static string Key(MetadataEntry entry) =>
        entry.Aaguid?.ToString() ?? (entry.AttestationCertificateKeyIdentifiers.Count > 0 ? entry.AttestationCertificateKeyIdentifiers[0] : "(no key)");

    // MetadataEntry keeps what the relying party needs; protocolFamily is read here from the payload
    // the library has just verified, entry for entry in the same order.
    private static IEnumerable<string> ProtocolFamilies(string jwt, MetadataBlob blob)
    {
        var jws = CompactJws.Parse(jwt.Trim(), PasskeyError.MetadataInvalid, "metadata BLOB");
        using var payload = JsonDocument.Parse(jws.Payload);
        var families = new List<string>(blob.Entries.Count);
        foreach (var entry in payload.RootElement.GetProperty("entries").EnumerateArray())
        {
            families.Add(entry.TryGetProperty("metadataStatement", out var statement)
                && statement.TryGetProperty("protocolFamily", out var family) && family.ValueKind == JsonValueKind.String
                ? family.GetString()!
                : "(not stated)");
        }
        return families;
    }

    private static IEnumerable<(string Key, int Count)> Counts(IEnumerable<string> values) =>
        values.GroupBy(v => v, StringComparer.Ordinal).Select(g => (g.Key, g.Count())).OrderByDescending(p => p.Item2).ThenBy(p => p.Key, StringComparer.Ordinal);

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
