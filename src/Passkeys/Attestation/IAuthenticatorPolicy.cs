using Passkeys.Protocol;

namespace Passkeys.Attestation;

/// <summary>What a registration policy sees once attestation is verified and its trust judged.</summary>
/// <param name="AuthenticatorData">The registration's authenticator data.</param>
/// <param name="Statement">The verified statement (format, type, trust path).</param>
/// <param name="Trust">The trust judgement (REG-24).</param>
public sealed record AuthenticatorPolicyContext(AuthenticatorData AuthenticatorData, AttestationStatementResult Statement, AttestationTrustResult Trust)
{
    /// <summary>The authenticator's AAGUID.</summary>
    public Guid Aaguid => AuthenticatorData.AttestedCredentialData?.Aaguid ?? Guid.Empty;
}

/// <summary>
/// A relying-party rule about which authenticators may register (metadata status, AAGUID allow or
/// deny lists, refusing synced passkeys). Runs after REG-24; throws <see cref="PasskeyException"/> to refuse.
/// </summary>
public interface IAuthenticatorPolicy
{
    /// <summary>Throws <see cref="PasskeyException"/> when the authenticator must not register.</summary>
    void Check(AuthenticatorPolicyContext context);
}

/// <summary>
/// Supplies trust anchors for an attestation beyond the statically configured ones, e.g. the
/// attestation roots that FIDO metadata lists for an AAGUID (REG-23).
/// </summary>
public interface ITrustAnchorProvider
{
    /// <summary>Acceptable roots for this statement; empty when the provider knows none.</summary>
    IReadOnlyList<System.Security.Cryptography.X509Certificates.X509Certificate2> GetTrustAnchors(AuthenticatorData authenticatorData, AttestationStatementResult statement);
}
