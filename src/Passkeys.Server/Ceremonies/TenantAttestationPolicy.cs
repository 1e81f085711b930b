using System.Security.Cryptography.X509Certificates;
using Passkeys.Attestation;
using Passkeys.Attestation.Metadata;
using Passkeys.Ceremonies;
using Passkeys.Server.Errors;
using Passkeys.Server.Metadata;
using Passkeys.Server.Tenants;

namespace Passkeys.Server.Ceremonies;

/// <summary>
/// A tenant's <c>attestationPolicy</c> as a library <see cref="IAuthenticatorPolicy"/>: the
/// relying party runs it right after REG-24 (trust), before the credential is recorded, so each
/// refusal is one step of §7.1 with its own code (1114–1119). The statement was already verified by
/// the library (REG-22: a signature that does not verify never gets here, whatever the mode); this
/// decides what the verified statement must prove and which authenticator models may register.
/// </summary>
/// <remarks>
/// The library's own REG-24 gets no anchors from the server, so an unverifiable chain is not an
/// error in mode "any" (today's behaviour); for "trusted" the chain is judged here, by the
/// library's <see cref="AttestationTrust"/> (never a second verifier), against the tenant's roots
/// and the roots FIDO metadata lists for the authenticator.
/// </remarks>
public sealed class TenantAttestationPolicy : IAuthenticatorPolicy
{
    private readonly AttestationPolicySettings _settings;
    private readonly AuthenticatorDirectory _directory;
    private readonly AttestationTrust _trust;
    private readonly HashSet<Guid> _allow;
    private readonly HashSet<Guid> _deny;

    /// <summary>Creates the policy for one tenant's settings; metadata is read from <paramref name="directory"/> at each check.</summary>
    public TenantAttestationPolicy(AttestationPolicySettings settings, AuthenticatorDirectory directory, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings;
        _directory = directory;
        _allow = [.. settings.AaguidAllow.Select(Guid.Parse)];
        _deny = [.. settings.AaguidDeny.Select(Guid.Parse)];
        _trust = new AttestationTrust(AttestationPolicyRules.Load(settings), new MetadataTrustAnchorProvider(() => directory.Blob), time);
    }

    /// <summary>The settings this policy enforces.</summary>
    public AttestationPolicySettings Settings => _settings;

    /// <inheritdoc />
    public void Check(AuthenticatorPolicyContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var statement = context.Statement;

        // Mode verified or trusted: the statement must be signed by an attestation key that a
        // certificate vouches for. "none" carries nothing; self attestation is signed with the new
        // credential's own key, so it proves only that the key signed its own data.
        if (_settings.Mode != AttestationModes.Any && !HasCertificate(statement))
        {
            throw statement.Type == AttestationType.None && statement.Components.Count == 0
                ? new ServerException(ServerError.AttestationMissing,
                    "This site needs to know which security key or device makes your passkey, and yours did not say. Use a security key that shows it (most hardware keys do), or ask the site which ones it accepts.")
                : new ServerException(ServerError.AttestationUnverified,
                    "This site accepts passkeys only from security keys or devices that can prove their make, and this one cannot. Use another security key, or ask the site which ones it accepts.");
        }

        // Mode trusted: the chain ends at a root from FIDO metadata or the tenant's own.
        if (_settings.Mode == AttestationModes.Trusted && !Judge(context).IsTrusted)
        {
            throw new ServerException(ServerError.AttestationUntrusted, ProblemFactory.NotAcceptedMessage);
        }

        // AAGUID lists: the deny list wins; an empty allow list allows every AAGUID. Without trusted
        // attestation the AAGUID is whatever the authenticator claims (docs/api.md says so).
        var aaguid = context.Aaguid;
        if (_deny.Contains(aaguid))
        {
            throw new ServerException(ServerError.AaguidDenied, ProblemFactory.NotAcceptedMessage);
        }
        if (_allow.Count > 0 && !_allow.Contains(aaguid))
        {
            throw new ServerException(ServerError.AaguidNotAllowed, ProblemFactory.NotAcceptedMessage);
        }

        // Every mode: FIDO metadata reports this model revoked or compromised (Metadata/CompromiseStatuses.cs).
        var entry = MetadataTrustAnchorProvider.FindEntry(_directory.Blob, context.AuthenticatorData, statement);
        if (CompromiseStatuses.Of(entry) is not null)
        {
            throw new ServerException(ServerError.AuthenticatorRevoked, ProblemFactory.RevokedMessage);
        }
    }

    /// <summary>
    /// Whether a registration that passed this policy was trusted, for the stored credential: always
    /// in mode trusted (the policy required it); otherwise judged once here against the same roots, when
    /// the statement has a chain to judge (none and self have none: not trusted).
    /// </summary>
    public bool IsTrusted(RegisteredPasskey registered)
    {
        ArgumentNullException.ThrowIfNull(registered);
        if (_settings.Mode == AttestationModes.Trusted)
        {
            return true;
        }
        return registered.Trust.IsTrusted
            || (HasCertificate(registered.Attestation)
                && _trust.Evaluate(registered.AuthenticatorData, registered.Attestation).IsTrusted);
    }

    private AttestationTrustResult Judge(AuthenticatorPolicyContext context) =>
        context.Trust.IsTrusted ? context.Trust : _trust.Evaluate(context.AuthenticatorData, context.Statement);

    // A certificate vouches for the attestation key: a trust path here or in a compound's component.
    private static bool HasCertificate(AttestationStatementResult statement) =>
        statement.TrustPath.Count > 0 || statement.Components.Any(HasCertificate);
}
