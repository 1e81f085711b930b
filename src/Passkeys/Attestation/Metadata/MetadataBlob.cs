using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace Passkeys.Attestation.Metadata;

/// <summary>How a FIDO MDS3 BLOB is verified.</summary>
public sealed class MetadataBlobOptions
{
    /// <summary>The root the BLOB's x5c chain must end at (for production MDS3: GlobalSign Root CA - R3).</summary>
    public required X509Certificate2 RootCertificate { get; init; }
    /// <summary>The clock for the chain and nextUpdate. System time by default.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
    /// <summary>Check revocation of the signing chain online. Off by default (offline verification).</summary>
    public bool CheckRevocation { get; init; }
    /// <summary>Accept a BLOB whose nextUpdate has passed. Off by default: a stale BLOB fails with <see cref="PasskeyError.MetadataStale"/>.</summary>
    public bool DangerouslyAllowStale { get; init; }
}

/// <summary>A verified FIDO Metadata Service v3 BLOB (a signed JWT of MetadataBLOBPayload).</summary>
public sealed class MetadataBlob
{
    private readonly Dictionary<Guid, MetadataEntry> _byAaguid = [];
    private readonly Dictionary<string, MetadataEntry> _byKeyIdentifier = new(StringComparer.OrdinalIgnoreCase);

    private MetadataBlob(long number, DateOnly nextUpdate, string? legalHeader, IReadOnlyList<MetadataEntry> entries)
    {
        Number = number;
        NextUpdate = nextUpdate;
        LegalHeader = legalHeader;
        Entries = entries;
        foreach (var entry in entries)
        {
            if (entry.Aaguid is { } aaguid)
            {
                _byAaguid.TryAdd(aaguid, entry);
            }
            foreach (var id in entry.AttestationCertificateKeyIdentifiers)
            {
                _byKeyIdentifier.TryAdd(id, entry);
            }
        }
    }

    /// <summary>The BLOB's serial number (no). Not a content hash: FIDO has published two different BLOBs with one number.</summary>
    public long Number { get; }
    /// <summary>nextUpdate: after this date the BLOB is stale.</summary>
    public DateOnly NextUpdate { get; }
    /// <summary>legalHeader.</summary>
    public string? LegalHeader { get; }
    /// <summary>All entries.</summary>
    public IReadOnlyList<MetadataEntry> Entries { get; }

    /// <summary>The entry for a FIDO2 AAGUID, or null.</summary>
    public MetadataEntry? Find(Guid aaguid) => _byAaguid.GetValueOrDefault(aaguid);

    /// <summary>The U2F entry for an attestationCertificateKeyIdentifier (hex SHA-1 of the subject public key), or null.</summary>
    public MetadataEntry? FindByKeyIdentifier(string keyIdentifier) => _byKeyIdentifier.GetValueOrDefault(keyIdentifier);

    /// <summary>
    /// Verifies and parses a BLOB: the JWS signature (RS256, ES256, PS256, …) with the x5c leaf; the
    /// x5c chain to <see cref="MetadataBlobOptions.RootCertificate"/> at the configured time; then nextUpdate.
    /// </summary>
    /// <exception cref="PasskeyException"><see cref="PasskeyError.MetadataInvalid"/> or <see cref="PasskeyError.MetadataStale"/>.</exception>
    public static MetadataBlob Parse(string jwt, MetadataBlobOptions options)
    {
        var jws = CompactJws.Parse(jwt.Trim(), PasskeyError.MetadataInvalid, "metadata BLOB");
        if (jws.Algorithm is not ("RS256" or "ES256" or "PS256" or "RS384" or "ES384" or "PS384" or "RS512" or "ES512" or "PS512"))
        {
            throw Invalid($"JWS alg '{jws.Algorithm}' is not an accepted signature algorithm");
        }
        if (!jws.VerifySignature())
        {
            throw Invalid($"JWS signature ({jws.Algorithm}) does not verify with the x5c leaf '{jws.X5c[0].Subject}'");
        }
        VerifyChain(jws.X5c, options);
        var blob = ParsePayload(jws.Payload);
        var today = DateOnly.FromDateTime(options.TimeProvider.GetUtcNow().UtcDateTime);
        if (today > blob.NextUpdate && !options.DangerouslyAllowStale)
        {
            throw new PasskeyException(PasskeyError.MetadataStale,
                $"metadata BLOB no={blob.Number} was due to be replaced on {blob.NextUpdate:yyyy-MM-dd}; today is {today:yyyy-MM-dd}");
        }
        return blob;
    }

    private static void VerifyChain(IReadOnlyList<X509Certificate2> x5c, MetadataBlobOptions options)
    {
        using var chain = new X509Chain();
        var policy = chain.ChainPolicy;
        policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        policy.CustomTrustStore.Add(options.RootCertificate);
        for (int i = 1; i < x5c.Count; i++)
        {
            policy.ExtraStore.Add(x5c[i]);
        }
        policy.RevocationMode = options.CheckRevocation ? X509RevocationMode.Online : X509RevocationMode.NoCheck;
        policy.DisableCertificateDownloads = true;
        policy.VerificationTime = options.TimeProvider.GetUtcNow().UtcDateTime;
        policy.VerificationTimeIgnored = false;
        if (!chain.Build(x5c[0]))
        {
            var problems = new List<string>();
            foreach (var element in chain.ChainElements)
            {
                foreach (var status in element.ChainElementStatus)
                {
                    problems.Add($"{element.Certificate.Subject}: {status.Status}");
                }
            }
            throw Invalid($"signing chain does not validate to '{options.RootCertificate.Subject}' at {policy.VerificationTime:O}: {string.Join("; ", problems)}");
        }
    }

    /// <summary>Parses a MetadataBLOBPayload without verifying anything (for the verified path, use <see cref="Parse"/>).</summary>
    internal static MetadataBlob ParsePayload(byte[] payload)
    {
        try
        {
            using var doc = JsonDocument.Parse(payload);
            var root = doc.RootElement;
            long number = root.GetProperty("no").GetInt64();
            var nextUpdate = DateOnly.ParseExact(Text(root.GetProperty("nextUpdate")), "yyyy-MM-dd", CultureInfo.InvariantCulture);
            string? legal = root.TryGetProperty("legalHeader", out var l) ? l.GetString() : null;
            var entries = new List<MetadataEntry>();
            foreach (var e in root.GetProperty("entries").EnumerateArray())
            {
                entries.Add(ParseEntry(e));
            }
            return new MetadataBlob(number, nextUpdate, legal, entries);
        }
        catch (Exception e) when (e is JsonException or FormatException or KeyNotFoundException or InvalidOperationException)
        {
            throw Invalid($"payload is not a MetadataBLOBPayload: {e.Message}", e);
        }
    }

    /// <summary>Parses one MetadataBLOBPayloadEntry (also the shape of the single-entry JSON files).</summary>
    public static MetadataEntry ParseEntry(JsonElement e)
    {
        Guid? aaguid = e.TryGetProperty("aaguid", out var a) ? Guid.Parse(Text(a)) : null;
        var keyIds = new List<string>();
        if (e.TryGetProperty("attestationCertificateKeyIdentifiers", out var ids))
        {
            foreach (var id in ids.EnumerateArray())
            {
                keyIds.Add(Text(id).ToLowerInvariant());
            }
        }
        string? description = null, icon = null;
        var roots = new List<X509Certificate2>();
        var types = new List<string>();
        if (e.TryGetProperty("metadataStatement", out var statement))
        {
            description = statement.TryGetProperty("description", out var d) ? d.GetString() : null;
            icon = statement.TryGetProperty("icon", out var i) ? i.GetString() : null;
            if (statement.TryGetProperty("attestationRootCertificates", out var certs))
            {
                foreach (var cert in certs.EnumerateArray())
                {
                    roots.Add(AttestationCertificates.Load(Convert.FromBase64String(Text(cert)), "metadata attestationRootCertificates entry"));
                }
            }
            if (statement.TryGetProperty("attestationTypes", out var t))
            {
                foreach (var type in t.EnumerateArray())
                {
                    types.Add(Text(type));
                }
            }
        }
        var reports = new List<MetadataStatusReport>();
        if (e.TryGetProperty("statusReports", out var statusReports))
        {
            foreach (var r in statusReports.EnumerateArray())
            {
                DateOnly? date = r.TryGetProperty("effectiveDate", out var ed)
                    ? DateOnly.ParseExact(Text(ed), "yyyy-MM-dd", CultureInfo.InvariantCulture) : null;
                long? version = r.TryGetProperty("authenticatorVersion", out var v) ? v.GetInt64() : null;
                reports.Add(new MetadataStatusReport(Text(r.GetProperty("status")), date, version));
            }
        }
        return new MetadataEntry(aaguid, keyIds, description, icon, roots, reports, types);
    }

    // JSON null reads as a null string; every string member used above is required to be a string.
    private static string Text(JsonElement element) =>
        element.GetString() ?? throw new FormatException("a metadata member is null where a string is required");

    private static PasskeyException Invalid(string detail, Exception? inner = null) =>
        new(PasskeyError.MetadataInvalid, $"metadata BLOB: {detail}", inner);
}
