// WebAuthn Level 3 §7.2 "Verifying an Authentication Assertion": the relying party's verification
// steps, in spec order. Step ids (AUTH-nn-…) are those of shared/spec/webauthn-l3-steps.md;
// docs/security.md maps each to its test. This is the hot path of every sign-in: spans over the
// decoded response, one SHA-256, one signature verification, and a cached imported key.
using System.Buffers;
using System.Security.Cryptography;
using Passkeys.Encoding;
using Passkeys.Protocol;

namespace Passkeys.Ceremonies;

public sealed partial class RelyingParty
{
    /// <summary>Verifies an assertion (WebAuthn L3 §7.2) made with <paramref name="credential"/>.</summary>
    /// <param name="responseJson">AuthenticationResponseJSON as the browser's toJSON() produced it.</param>
    /// <param name="state">The state from <see cref="BeginAuthentication"/>.</param>
    /// <param name="credential">The stored record whose id equals the response's rawId (look it up with <see cref="AuthenticationResponse.Parse(string)"/>).</param>
    /// <exception cref="PasskeyException">The step that failed, as a stable <see cref="PasskeyError"/>.</exception>
    public VerifiedAuthentication FinishAuthentication(string responseJson, AuthenticationState state, CredentialRecord credential)
    {
        // The same parse as AuthenticationResponse.Parse, but the decoded bytes live in a pooled
        // buffer for this call only: nothing returned or thrown refers to them.
        var response = AuthenticationResponse.ParsePooled(responseJson, out byte[] rented);
        try
        {
            return Finish(response, state, credential);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Verifies an already parsed assertion (the server parses once to find the credential).</summary>
    public VerifiedAuthentication FinishAuthentication(AuthenticationResponse response, AuthenticationState state, CredentialRecord credential)
    {
        ArgumentNullException.ThrowIfNull(response);
        return Finish(response.Decoded, state, credential);
    }

    private VerifiedAuthentication Finish(in AuthenticationResponse.Members response, AuthenticationState state, CredentialRecord credential)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(credential);
        EnsureNotExpired(state.ExpiresAt);

        // AUTH-01-options: in `state`. AUTH-02-get happens in the browser.
        // AUTH-03-resp-type: checked by AuthenticationResponse.Parse (type "public-key", id = rawId, members present).
        // AUTH-07-fields: cData, authData and sig are taken from the response (decoded once, sliced here).
        var credentialId = response.CredentialId.Span;
        var authData = AuthenticatorData.Parse(response.AuthenticatorData);

        // AUTH-04-ext-results: collected now because appid (§10.1.1) changes AUTH-15; processed at AUTH-23.
        bool appIdUsed = ExtensionOutputs.ReadAuthentication(response.ClientExtensionResultsJson.Span, authData, state, _options.UnrequestedExtensions, enforce: false);

        // AUTH-05-allowcred: when allowCredentials was given, the credential is one of them.
        if (state.AllowCredentials.Count > 0 && !state.AllowCredentials.Contains(Base64UrlStrict.Encode(credentialId)))
        {
            throw new PasskeyException(PasskeyError.CredentialNotAllowed, "the credential is not in allowCredentials (AUTH-05-allowcred)");
        }

        // AUTH-06: the credential's owner. The record passed in must be the one the response names.
        if (!credentialId.SequenceEqual(credential.Id))
        {
            throw new PasskeyException(PasskeyError.CredentialNotFound, "the credential record passed in is not the one with the response's rawId (AUTH-06)");
        }
        if (state.UserHandle is { } identifiedUser)
        {
            // AUTH-06a-owner-known-user: the identified account holds this credential, and a present
            // userHandle names that account (YSA-2026-02: another user's credential must never pass).
            if (!credential.UserHandle.AsSpan().SequenceEqual(identifiedUser))
            {
                throw new PasskeyException(PasskeyError.UserHandleMismatch, "the credential belongs to another user than the one signing in (AUTH-06a-owner-known-user)");
            }
            if (response.UserHandle is { } handle && !handle.Span.SequenceEqual(identifiedUser))
            {
                throw new PasskeyException(PasskeyError.UserHandleMismatch, "userHandle names another user than the one signing in (AUTH-06a-owner-known-user)");
            }
        }
        else
        {
            // AUTH-06b-owner-by-handle: userHandle must be present and name the credential's account.
            var handle = response.UserHandle
                ?? throw new PasskeyException(PasskeyError.UserHandleMissing, "no user was identified and the response has no userHandle (AUTH-06b-owner-by-handle)");
            if (!handle.Span.SequenceEqual(credential.UserHandle))
            {
                throw new PasskeyException(PasskeyError.UserHandleMismatch, "userHandle does not name the account that holds this credential (AUTH-06b-owner-by-handle)");
            }
        }

        // AUTH-08-utf8, AUTH-09-json
        var clientData = ClientData.Parse(response.ClientDataJson.Span);

        // AUTH-10-type
        ClientDataChecks.VerifyType(clientData, "webauthn.get"u8, "AUTH-10-type");

        // AUTH-11-challenge (constant time)
        ClientDataChecks.VerifyChallenge(clientData, state.Challenge, "AUTH-11-challenge");

        // AUTH-12-origin
        ClientDataChecks.VerifyOrigin(clientData, _origins, "AUTH-12-origin");

        // AUTH-13-crossorigin
        ClientDataChecks.VerifyCrossOrigin(clientData, _options.AllowCrossOrigin, "AUTH-13-crossorigin");

        // AUTH-14.1-toporigin-expected, AUTH-14.2-toporigin-value
        ClientDataChecks.VerifyTopOriginExpected(clientData, _options.AllowCrossOrigin, "AUTH-14.1-toporigin-expected");
        ClientDataChecks.VerifyTopOriginValue(clientData, _origins, "AUTH-14.2-toporigin-value");

        // AUTH-15-rpidhash: SHA-256 of the RP ID, or of the AppID when the appid extension was used.
        if (!authData.RpIdHash.SequenceEqual(RpIdHash(appIdUsed ? state.AppId! : state.RpId)))
        {
            throw new PasskeyException(PasskeyError.RpIdHashMismatch,
                $"authenticatorData.rpIdHash is not SHA-256 of '{(appIdUsed ? state.AppId : state.RpId)}' (AUTH-15-rpidhash)");
        }

        // AUTH-16-up: no conditional-mediation exception for assertions.
        if (!authData.UserPresent)
        {
            throw new PasskeyException(PasskeyError.UserPresenceMissing, "the UP flag is not set (AUTH-16-up)");
        }

        // AUTH-17-uv: required exactly when the request said "required".
        if (state.UserVerification == Protocol.UserVerificationRequirement.Required && !authData.UserVerified)
        {
            throw new PasskeyException(PasskeyError.UserVerificationMissing, "user verification was required and the UV flag is not set (AUTH-17-uv)");
        }

        // AUTH-18-be-bs
        if (authData.BackupState && !authData.BackupEligible)
        {
            throw new PasskeyException(PasskeyError.BackupStateWithoutEligibility, "BS is set while BE is clear (AUTH-18-be-bs)");
        }

        // AUTH-19.1-be-kept-set, AUTH-19.2-be-kept-clear: BE is fixed at creation.
        if (_options.BackupEligibility == BackupEligibilityPolicy.Enforce && authData.BackupEligible != credential.BackupEligible)
        {
            throw new PasskeyException(PasskeyError.BackupEligibilityChanged, credential.BackupEligible
                ? "the credential was backup eligible at registration and BE is now clear (AUTH-19.1-be-kept-set)"
                : "the credential was not backup eligible at registration and BE is now set (AUTH-19.2-be-kept-clear)");
        }
        // AUTH-19.3-bs-policy: BS changes are reported (VerifiedAuthentication.BackupState) for the caller's policy.

        // AUTH-20-cdhash, AUTH-21-sig: sig over authData ‖ SHA-256(cData) with the stored key.
        VerifySignature(response, credential);

        // AUTH-22-signcount: 0/0 means the authenticator keeps no counter (synced passkeys).
        uint received = authData.SignCount;
        bool regressed = false;
        if ((received != 0 || credential.SignCount != 0) && received <= credential.SignCount)
        {
            if (_options.SignCountRegression == SignCountRegressionPolicy.Reject)
            {
                throw new PasskeyException(PasskeyError.SignCountRegression,
                    $"signCount {received} is not greater than the stored {credential.SignCount}: the authenticator may be cloned (AUTH-22-signcount)");
            }
            regressed = true;
        }

        // AUTH-23-ext-process: unrequested outputs per policy, now that the signature is verified.
        ExtensionOutputs.ReadAuthentication(response.ClientExtensionResultsJson.Span, authData, state, _options.UnrequestedExtensions, enforce: true);

        // AUTH-24.1-upd-count: a regressed counter is not written back, so a clone cannot reset it.
        // AUTH-24.2-upd-bs: current BS. AUTH-24.3-upd-uvinit: left to the caller, because raising
        // uvInitialized SHOULD take an extra factor (UserVerified says whether UV happened now).
        var updated = credential with
        {
            SignCount = regressed ? credential.SignCount : received,
            BackupState = authData.BackupState,
        };

        // AUTH-25-result: every step succeeded.
        return new VerifiedAuthentication
        {
            CredentialId = credential.Id,
            UserHandle = credential.UserHandle,
            SignCount = received,
            SignCountRegressed = regressed,
            UserVerified = authData.UserVerified,
            BackupEligible = authData.BackupEligible,
            BackupState = authData.BackupState,
            TransactionHash = state.TransactionHash,
            UpdatedCredential = updated,
            AuthenticatorAttachment = response.AuthenticatorAttachment,
        };
    }

    private void VerifySignature(in AuthenticationResponse.Members response, CredentialRecord credential)
    {
        var authData = response.AuthenticatorData.Span;
        int length = authData.Length + 32;
        byte[]? rented = length > 512 ? ArrayPool<byte>.Shared.Rent(length) : null;
        Span<byte> signed = rented is null ? stackalloc byte[length] : rented.AsSpan(0, length);
        try
        {
            authData.CopyTo(signed);
            // AUTH-20-cdhash
            SHA256.HashData(response.ClientDataJson.Span, signed[authData.Length..]);
            // AUTH-21-sig
            var key = _keys.Get(credential);
            // A signature that cannot be one of the key's algorithm (wrong length, EdDSA S ≥ L) is
            // refused by name rather than as a plain bad signature.
            if (key.SignatureDefect(response.Signature.Span) is { } defect)
            {
                throw defect;
            }
            if (!key.Verify(signed, response.Signature.Span))
            {
                throw new PasskeyException(PasskeyError.SignatureInvalid, "the assertion signature does not verify with the stored public key (AUTH-21-sig)");
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
