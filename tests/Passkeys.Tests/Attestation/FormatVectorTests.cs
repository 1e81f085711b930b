using Passkeys.Attestation;

namespace Passkeys.Tests.Attestation;

/// <summary>
/// Real tpm, android-key, android-safetynet and apple registrations from ../shared/vectors: the
/// format's verifier and then REG-24 trust (when the vector names roots) must reach the vector's
/// expected outcome.
/// </summary>
public class FormatVectorTests
{
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
        if (vector.ExpectedOk)
        {
            Assert.True(failure is null, $"{name} should pass but failed: {failure}");
        }
        else
        {
            Assert.True(failure is not null, $"{name} should fail ({vector.Json.GetProperty("expected").GetProperty("error")}) but passed");
        }
    }
}
