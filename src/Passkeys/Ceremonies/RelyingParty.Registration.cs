// WebAuthn Level 3 §7.1 "Registering a New Credential": the relying party's verification steps, in
// spec order. Step ids (REG-nn-…) are those of shared/spec/webauthn-l3-steps.md; docs/security.md maps
// each to its test.
using System.Security.Cryptography;
using Passkeys.Attestation;
using Passkeys.Cose;
using Passkeys.Protocol;

namespace Passkeys.Ceremonies;

public sealed partial class RelyingParty
{
    /// <summary>
    /// Verifies a registration response (WebAuthn L3 §7.1) and returns the credential record to store.
    /// </summary>
    /// <param name="responseJson">RegistrationResponseJSON as the browser's toJSON() produced it.</param>
    /// <param name="state">The state from <see cref="BeginRegistration"/>.</param>
    /// <param name="isCredentialIdRegistered">
    /// REG-26: answers whether a credential id is already registered to any user. The store's unique
    /// index is the final word; this lets the ceremony fail with a clear error before that.
    /// </param>
    /// <exception cref="PasskeyException">The step that failed, as a stable <see cref="PasskeyError"/>.</exception>
    public RegisteredPasskey FinishRegistration(string responseJson, RegistrationState state, Func<byte[], bool>? isCredentialIdRegistered = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        EnsureNotExpired(state.ExpiresAt);

        // REG-01-options: the options live in `state`, kept server-side since BeginRegistration.
        // REG-02-create happens in the browser.

        // REG-03-resp-type: the response is a public-key credential carrying an attestation response.
        var response = RegistrationResponse.Parse(responseJson);

        // REG-04-ext-results: the client extension outputs, processed at REG-28.
        var clientExtensions = response.ClientExtensionResults;

        // REG-05-utf8, REG-06-json: clientDataJSON as UTF-8 JSON (BOM dropped, unknown keys tolerated).
        var clientData = ClientData.Parse(response.ClientDataJson);

        // REG-07-type
        ClientDataChecks.VerifyType(clientData, "webauthn.create"u8, "REG-07-type");

        // REG-08-challenge (constant time)
        ClientDataChecks.VerifyChallenge(clientData, state.Challenge, "REG-08-challenge");

        // REG-09-origin: scheme, host and port, or a native app origin, exactly as configured.
        ClientDataChecks.VerifyOrigin(clientData, _origins, "REG-09-origin");

        // REG-10-crossorigin
        ClientDataChecks.VerifyCrossOrigin(clientData, _options.AllowCrossOrigin, "REG-10-crossorigin");

        // REG-11.1-toporigin-expected, REG-11.2-toporigin-value
        ClientDataChecks.VerifyTopOriginExpected(clientData, _options.AllowCrossOrigin, "REG-11.1-toporigin-expected");
        ClientDataChecks.VerifyTopOriginValue(clientData, _origins, "REG-11.2-toporigin-value");

        // REG-12-cdhash: over the raw bytes received, never a re-serialization.
        byte[] clientDataHash = SHA256.HashData(response.ClientDataJson);

        // REG-13-cbor: fmt, attStmt, authData. Authenticator data must be CTAP2 canonical.
        var attestationObject = AttestationObject.Parse(response.AttestationObject);
        var authData = attestationObject.AuthenticatorData;
        var credential = authData.AttestedCredentialData
            ?? throw new PasskeyException(PasskeyError.AttestedCredentialDataMissing, "registration authenticatorData has no attested credential data (AT flag clear)");
        if (!credential.CredentialId.Span.SequenceEqual(response.CredentialId))
        {
            throw new PasskeyException(PasskeyError.CredentialIdMismatch, "rawId differs from the credential id in authenticatorData");
        }

        // REG-14-rpidhash
        if (!authData.RpIdHash.SequenceEqual(RpIdHash(state.RpId)))
        {
            throw new PasskeyException(PasskeyError.RpIdHashMismatch, $"authenticatorData.rpIdHash is not SHA-256 of '{state.RpId}' (REG-14-rpidhash)");
        }

        // REG-15-up: user presence, unless this ceremony was a conditional create (known from our
        // own state, never from the client).
        if (!authData.UserPresent && !state.ConditionalCreate)
        {
            throw new PasskeyException(PasskeyError.UserPresenceMissing, "the UP flag is not set (REG-15-up)");
        }

        // REG-16-uv
        if (state.UserVerification == UserVerificationRequirement.Required && !authData.UserVerified)
        {
            throw new PasskeyException(PasskeyError.UserVerificationMissing, "user verification was required and the UV flag is not set (REG-16-uv)");
        }

        // REG-17-be-bs: BS=1 with BE=0 is invalid.
        if (authData.BackupState && !authData.BackupEligible)
        {
            throw new PasskeyException(PasskeyError.BackupStateWithoutEligibility, "BS is set while BE is clear (REG-17-be-bs)");
        }

        // REG-18-be-policy, REG-19-bs-policy: BE and BS are recorded (REG-27) for the caller's policy;
        // refusing backup-eligible credentials is an IAuthenticatorPolicy (REG-24 below).

        // REG-20-alg: the credential key's algorithm is one of those offered.
        var credentialKey = credential.CredentialPublicKey;
        if (!state.Algorithms.Contains((int)credentialKey.Algorithm))
        {
            throw new PasskeyException(PasskeyError.AlgorithmNotAllowed,
                $"the credential uses {CoseAlgorithms.Name(credentialKey.Algorithm)}, which was not among the offered algorithms (REG-20-alg)");
        }

        // REG-21-fmt: exact, case-sensitive match against the supported formats.
        var verifier = _options.AttestationFormats.Get(attestationObject.Format);

        // REG-22-attstmt: the format's own verification procedure (§8).
        var statement = verifier.Verify(new AttestationStatementInput(
            attestationObject.Format, attestationObject.Statement, authData, clientDataHash, _options.AttestationVerification, _time));

        // REG-23-anchors, REG-24-trust
        var trust = _trust.Evaluate(authData, statement);
        if (trust.Status == AttestationTrustStatus.Untrusted)
        {
            throw new PasskeyException(PasskeyError.AttestationNotTrusted, $"{trust.Detail} (REG-24-trust)");
        }
        if (_options.RequireTrustedAttestation && !trust.IsTrusted)
        {
            throw new PasskeyException(PasskeyError.AttestationRequired,
                $"trusted attestation is required and this {statement.Format} statement is {trust.Status}: {trust.Detail} (REG-24-trust)");
        }
        var policyContext = new AuthenticatorPolicyContext(authData, statement, trust);
        foreach (var policy in _options.AuthenticatorPolicies)
        {
            policy.Check(policyContext);
        }

        // REG-25-credid-len: at most 1023 bytes (already refused while parsing authData; restated so
        // the rule is visible where the spec puts it).
        if (credential.CredentialId.Length > AuthenticatorData.MaxCredentialIdLength)
        {
            throw new PasskeyException(PasskeyError.CredentialIdTooLong, $"credential id is {credential.CredentialId.Length} bytes (REG-25-credid-len)");
        }

        // REG-26-credid-unique: not registered to any user.
        byte[] credentialId = credential.CredentialId.ToArray();
        if (isCredentialIdRegistered?.Invoke(credentialId) == true)
        {
            throw new PasskeyException(PasskeyError.CredentialAlreadyRegistered, "this credential id is already registered (REG-26-credid-unique)");
        }

        // REG-27-record
        var record = new CredentialRecord
        {
            Id = credentialId,
            UserHandle = state.UserId,
            PublicKey = credentialKey.Encoded.ToArray(),
            Algorithm = credentialKey.Algorithm,
            SignCount = authData.SignCount,
            UvInitialized = authData.UserVerified,
            BackupEligible = authData.BackupEligible,
            BackupState = authData.BackupState,
            Transports = response.Transports,
            Aaguid = credential.Aaguid,
            AttestationFormat = statement.Format,
            AttestationTrusted = trust.IsTrusted,
        };

        // REG-28-ext-process: after verification; unsolicited outputs per policy, missing ones tolerated.
        var extensions = ExtensionOutputs.ProcessRegistration(clientExtensions, authData, state.Extensions, _options.UnrequestedExtensions);

        // REG-29-store: every step above succeeded; the caller stores `record` under state.UserId.
        return new RegisteredPasskey
        {
            Credential = record,
            Attestation = statement,
            Trust = trust,
            AuthenticatorData = authData,
            AuthenticatorAttachment = response.AuthenticatorAttachment,
            Discoverable = extensions.Discoverable,
            PrfEnabled = extensions.PrfEnabled,
            LargeBlobSupported = extensions.LargeBlobSupported,
            CredentialProtectionPolicy = extensions.CredentialProtectionPolicy,
        };
    }

    private void EnsureNotExpired(DateTimeOffset expiresAt)
    {
        var now = _time.GetUtcNow();
        if (now > expiresAt)
        {
            throw new PasskeyException(PasskeyError.CeremonyExpired, $"the ceremony expired at {expiresAt:O}; it is now {now:O}");
        }
    }
}
