using Passkeys.Attestation;

namespace Passkeys.Tests.Attestation;

/// <summary>
/// Real tpm, android-key, android-safetynet and apple registrations from ../shared/vectors: the
/// format's verifier and then REG-24 trust (when the vector names roots) must reach the vector's
/// expected outcome.
/// </summary>
public class FormatVectorTests
{
    /// <summary>
    /// Vectors whose recorded expectation this library deliberately does not meet, each with the
    /// error it must fail with instead and why. The test asserts that exact code, so a change shows.
    /// </summary>
    private static readonly Dictionary<string, (PasskeyError Error, string Why)> KnownDeviations = new(StringComparer.Ordinal)
    {
        ["w3c/android-key-es256.registration.json"] = (PasskeyError.AttestationDataMismatch,
            "both authorization lists are empty, so origin (ATT-ANDKEY-05b) and purpose (05c) are absent; this is the " +
            "pre-w3c/webauthn#2379 spec vector, and passing it is the bug class of webauthn-framework #928/#932"),
        ["yubico-java-webauthn-server/synthetic-androidsafetynet-basic-attestation.json"] = (PasskeyError.AttestationDataMismatch,
            "timestampMs is 2022-02-14 but validationTime is 2018-09-07 and the vector lacks safetyNetSkipTimestampCheck " +
            "(Yubico never checks freshness); our freshness check rightly refuses a statement 3.4 years from the clock"),
    };

    public static TheoryData<string> Vectors() => new(AttestationVector.Names("tpm", "android-key", "android-safetynet", "apple"));

    [SharedDataTheory]
    [MemberData(nameof(Vectors))]
    public void Vector_reaches_its_expected_outcome(string name)
    {
        var vector = AttestationVector.Load(name);
        if (vector.Tags.Contains("requires-revocation-check"))
        {
            return; // rejection needs an online CRL lookup, which these offline tests do not do
        }
        string? failure = null;
        try
        {
            var verifier = AttestationStatementVerifiers.Default.Get(vector.Format);
            var result = verifier.Verify(vector.Input());
            if (vector.TrustAnchors.Count > 0)
            {
                var trust = new AttestationTrust(vector.TrustAnchors, null, vector.Time).Evaluate(vector.AuthenticatorData, result);
                if (!trust.IsTrusted)
                {
                    failure = $"not trusted: {trust.Detail}";
                }
            }
        }
        catch (PasskeyException e)
        {
            failure = $"{e.Error}: {e.Detail}";
        }
        if (KnownDeviations.TryGetValue(name, out var deviation))
        {
            Assert.True(failure is not null && failure.StartsWith($"{deviation.Error}:", StringComparison.Ordinal),
                $"{name}: expected to fail with {deviation.Error} ({deviation.Why}); got {failure ?? "success"}");
        }
        else if (vector.ExpectedOk)
        {
            Assert.True(failure is null, $"{name} should pass but failed: {failure}");
        }
        else
        {
            Assert.True(failure is not null, $"{name} should fail ({vector.Json.GetProperty("expected").GetProperty("error")}) but passed");
        }
    }
}
