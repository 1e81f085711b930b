using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Passkeys.Server.Endpoints;
using Passkeys.Server.Errors;

namespace Passkeys.Server.Tenants;

/// <summary>
/// Turns a tenant's <c>attestationPolicy</c> input into <see cref="AttestationPolicySettings"/>, or
/// refuses it with a specific code (1110–1113): every value a registration will later rely on is
/// checked here, once, at tenant create or update.
/// </summary>
public static class AttestationPolicyRules
{
    /// <summary>At most this many trusted roots per tenant.</summary>
    public const int MaxRoots = 32;
    /// <summary>At most this many characters per trusted root (a PEM certificate is rarely past 4 KiB).</summary>
    public const int MaxRootLength = 16 * 1024;
    /// <summary>At most this many AAGUIDs per list.</summary>
    public const int MaxAaguids = 1000;

    /// <summary>
    /// Validates <paramref name="input"/> (null: the default policy, stored as NULL) for a tenant
    /// whose conveyance is <paramref name="conveyance"/>.
    /// </summary>
    /// <param name="metadataEnabled">Whether the server reads FIDO metadata, the other source of roots for "trusted".</param>
    /// <param name="now">Roots must be valid at this time.</param>
    /// <exception cref="ServerException">1110 AttestationPolicyInvalid, 1111 AttestationRootUnreadable, 1112 AttestationRootNotCa, 1113 AttestationRootExpired.</exception>
    public static AttestationPolicySettings? Parse(AttestationPolicyInput? input, string conveyance, bool metadataEnabled, DateTimeOffset now)
    {
        if (input is null)
        {
            return null;
        }
        var mode = input.Mode ?? AttestationModes.Any;
        if (!AttestationModes.All.Contains(mode))
        {
            throw Invalid($"attestationPolicy.mode '{mode}' must be one of {string.Join(", ", AttestationModes.All)}.");
        }
        var allow = Aaguids(input.AaguidAllow, "aaguidAllow");
        var deny = Aaguids(input.AaguidDeny, "aaguidDeny");
        var roots = Roots(input.TrustedRoots, now);
        if (mode != AttestationModes.Any && conveyance == "none")
        {
            // Browsers replace every statement with "none" when the relying party asks for none.
            throw Invalid($"attestationPolicy.mode '{mode}' needs attestation (the conveyance) 'indirect', 'direct' or 'enterprise': with 'none' browsers send no attestation and every registration would be refused.");
        }
        if (mode == AttestationModes.Trusted && roots.Count == 0 && !metadataEnabled)
        {
            throw Invalid("attestationPolicy.mode 'trusted' needs trustedRoots, or FIDO metadata configured on the server (Passkeys:Metadata): otherwise no attestation could be trusted.");
        }
        return new AttestationPolicySettings(mode, roots, allow, deny);
    }

    private static List<string> Aaguids(IReadOnlyList<string>? values, string field)
    {
        if (values is null)
        {
            return [];
        }
        if (values.Count > MaxAaguids)
        {
            throw Invalid($"attestationPolicy.{field} has {values.Count} entries; at most {MaxAaguids}.");
        }
        var seen = new HashSet<Guid>();
        var list = new List<string>(values.Count);
        for (int i = 0; i < values.Count; i++)
        {
            // Exactly the hyphenated form (8-4-4-4-12), as FIDO metadata and credential views write AAGUIDs.
            if (!Guid.TryParseExact(values[i] ?? "", "D", out var aaguid))
            {
                throw Invalid($"attestationPolicy.{field}[{i}] is not an AAGUID like 'cb69481e-8ff7-4039-93ec-0a2729a154a8'.");
            }
            if (!seen.Add(aaguid))
            {
                throw Invalid($"attestationPolicy.{field}[{i}] repeats AAGUID {aaguid}.");
            }
            list.Add(aaguid.ToString("D"));
        }
        return list;
    }

    private static List<string> Roots(IReadOnlyList<string>? values, DateTimeOffset now)
    {
        if (values is null)
        {
            return [];
        }
        if (values.Count > MaxRoots)
        {
            throw Invalid($"attestationPolicy.trustedRoots has {values.Count} certificates; at most {MaxRoots}.");
        }
        var list = new List<string>(values.Count);
        for (int i = 0; i < values.Count; i++)
        {
            using var root = ReadRoot(values[i], i);
            if (root.Extensions[Oids.BasicConstraints] is not X509BasicConstraintsExtension { CertificateAuthority: true })
            {
                throw new ServerException(ServerError.AttestationRootNotCa,
                    $"attestationPolicy.trustedRoots[{i}] ('{root.Subject}') is not a CA certificate (basic constraints cA is not true). Give the root (or intermediate) that issues the attestation certificates.");
            }
            if (now < root.NotBefore.ToUniversalTime() || now > root.NotAfter.ToUniversalTime())
            {
                throw new ServerException(ServerError.AttestationRootExpired,
                    $"attestationPolicy.trustedRoots[{i}] ('{root.Subject}') is valid from {root.NotBefore.ToUniversalTime():yyyy-MM-dd} to {root.NotAfter.ToUniversalTime():yyyy-MM-dd}, not now ({now.UtcDateTime:yyyy-MM-dd}).");
            }
            var der = Convert.ToBase64String(root.RawData);
            if (list.Contains(der))
            {
                throw Invalid($"attestationPolicy.trustedRoots[{i}] repeats the certificate '{root.Subject}'.");
            }
            list.Add(der);
        }
        return list;
    }

    /// <summary>One root from PEM ("-----BEGIN CERTIFICATE-----") or base64 DER.</summary>
    private static X509Certificate2 ReadRoot(string? value, int index)
    {
        var text = value?.Trim() ?? "";
        if (text.Length == 0 || text.Length > MaxRootLength)
        {
            throw Unreadable(index, text.Length == 0 ? "it is empty" : $"it is {text.Length} characters; at most {MaxRootLength}");
        }
        try
        {
            if (text.StartsWith("-----BEGIN", StringComparison.Ordinal))
            {
                if (!PemEncoding.TryFind(text, out var fields) || text[fields.Label] is not "CERTIFICATE")
                {
                    throw Unreadable(index, "it is PEM but not one \"CERTIFICATE\" block");
                }
                return X509CertificateLoader.LoadCertificate(Convert.FromBase64String(text[fields.Base64Data]));
            }
            return X509CertificateLoader.LoadCertificate(Convert.FromBase64String(text));
        }
        catch (Exception e) when (e is FormatException or CryptographicException)
        {
            throw Unreadable(index, "it is neither PEM nor base64 DER of an X.509 certificate");
        }
    }

    /// <summary>The stored roots as certificates (they were checked when the tenant was saved).</summary>
    public static IReadOnlyList<X509Certificate2> Load(AttestationPolicySettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return [.. settings.TrustedRoots.Select(r => X509CertificateLoader.LoadCertificate(Convert.FromBase64String(r)))];
    }

    private static ServerException Unreadable(int index, string why) =>
        new(ServerError.AttestationRootUnreadable, $"attestationPolicy.trustedRoots[{index}] is not a certificate: {why}.");

    private static ServerException Invalid(string message) => new(ServerError.AttestationPolicyInvalid, message);

    private static class Oids
    {
        public const string BasicConstraints = "2.5.29.19";
    }
}
