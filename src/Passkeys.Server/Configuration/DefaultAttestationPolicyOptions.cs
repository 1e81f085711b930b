using Passkeys.Server.Endpoints;
using Passkeys.Server.Errors;
using Passkeys.Server.Tenants;

namespace Passkeys.Server.Configuration;

/// <summary>
/// <c>Passkeys:DefaultTenant:AttestationPolicy</c>: the default tenant's <c>attestationPolicy</c>
/// (docs/api.md, "Attestation policy"), applied at every start like the rest of the default
/// tenant. Absent: mode any with no lists. Roots are files (PEM or DER), as
/// <c>Passkeys:Metadata:RootCertificatePath</c> is.
/// </summary>
public sealed class DefaultAttestationPolicyOptions
{
    /// <summary>any | verified | trusted (default any).</summary>
    public string? Mode { get; set; }
    /// <summary>Files of CA certificates (PEM or DER) that attestation chains may end at.</summary>
    public string[]? TrustedRootPaths { get; set; }
    /// <summary>When not empty, only these AAGUIDs may register.</summary>
    public string[]? AaguidAllow { get; set; }
    /// <summary>AAGUIDs that may not register.</summary>
    public string[]? AaguidDeny { get; set; }

    /// <summary>
    /// The checked settings, or a message saying what is wrong (a root file that cannot be read, or
    /// any refusal <see cref="AttestationPolicyRules"/> gives the admin API).
    /// </summary>
    public (AttestationPolicySettings? Settings, string? Problem) Parse(string conveyance, bool metadataEnabled, DateTimeOffset now)
    {
        var roots = new List<string>();
        foreach (var path in TrustedRootPaths ?? [])
        {
            try
            {
                var bytes = File.ReadAllBytes(path);
                var text = System.Text.Encoding.ASCII.GetString(bytes);
                roots.Add(text.Contains("-----BEGIN", StringComparison.Ordinal) ? text : Convert.ToBase64String(bytes));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return (null, $"AttestationPolicy:TrustedRootPaths '{path}' cannot be read: {e.Message}");
            }
        }
        try
        {
            return (AttestationPolicyRules.Parse(new AttestationPolicyInput(Mode, roots, AaguidAllow, AaguidDeny), conveyance, metadataEnabled, now), null);
        }
        catch (ServerException e)
        {
            return (null, $"AttestationPolicy: {e.Message} ({e.Error})");
        }
    }
}
