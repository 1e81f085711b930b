using System.Security.Cryptography.X509Certificates;
using Passkeys.Attestation;
using Passkeys.Cose;

namespace Passkeys.Authenticator.Tests;

/// <summary>
/// The round-trip matrix: every attestation format × every algorithm the authenticator supports
/// and the format allows (<see cref="AttestationKinds.CanAttest"/>: both axes are read from the
/// authenticator, so a newly supported algorithm joins every format that allows it), registered
/// with the library's RelyingParty and then used to sign in: with trust on (the format's test root
/// configured, trusted attestation required) and off (no anchors: verified, not trusted; another
/// vendor's root with trust required: refused).
/// </summary>
public class FormatMatrixTests
{
    /// <summary>The compound attestations of the matrix: each a pair of sub-formats.</summary>
    public static readonly string[] CompoundPairs = ["Packed+Tpm", "AndroidKey+AndroidSafetyNet", "Apple+PackedSelf", "FidoU2f+Packed"];

    public static TheoryData<AttestationKind, int, string> Matrix()
    {
        var data = new TheoryData<AttestationKind, int, string>();
        foreach (var kind in AttestationKinds.All)
        {
            foreach (string compound in kind == AttestationKind.Compound ? CompoundPairs : [""])
            {
                foreach (int alg in SupportedAlgorithms.All)
                {
                    if (AttestationKinds.CanAttest(kind, alg, Compound(compound)))
                    {
                        data.Add(kind, alg, compound);
                    }
                }
            }
        }
        return data;
    }

    [Fact]
    public void The_matrix_covers_every_format_and_every_algorithm()
    {
        var rows = Matrix().Select(r => ((AttestationKind)r[0], (int)r[1])).ToList();
        Assert.Equal(AttestationKinds.All.Order(), rows.Select(r => r.Item1).Distinct().Order());
        Assert.Equal(SupportedAlgorithms.All.Order(), rows.Select(r => r.Item2).Distinct().Order());
        // Real devices: Android and Apple make EC and RSA keys; fido-u2f only P-256.
        foreach (var kind in new[] { AttestationKind.AndroidKey, AttestationKind.AndroidSafetyNet, AttestationKind.Apple })
        {
            Assert.Contains((kind, SupportedAlgorithms.ES256), rows);
            Assert.Contains((kind, SupportedAlgorithms.RS256), rows);
            Assert.DoesNotContain((kind, SupportedAlgorithms.EdDSA), rows);
        }
        Assert.Equal([SupportedAlgorithms.ES256], rows.Where(r => r.Item1 == AttestationKind.FidoU2f).Select(r => r.Item2));
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Registers_trusted_with_the_formats_root_and_signs_in(AttestationKind kind, int alg, string compound)
    {
        using var lab = new LibraryRelyingParty(Options(kind, alg, compound));
        var roots = lab.OwnRoots();
        bool hasChain = roots.Count > 0;
        var rp = lab.Create(alg, roots, requireTrusted: hasChain);

        var passkey = await lab.RegisterAsync(rp);

        Assert.Equal(AttestationKinds.FormatName(kind), passkey.Attestation.Format);
        Assert.Equal((CoseAlgorithm)alg, passkey.Credential.Algorithm);
        Assert.Equal(hasChain ? AttestationTrustStatus.Trusted : AttestationTrustStatus.NoTrustPath, passkey.Trust.Status);
        if (kind == AttestationKind.Compound)
        {
            Assert.Equal(Compound(compound)!.Select(AttestationKinds.FormatName), passkey.Attestation.Components.Select(c => c.Format));
        }
        var verified = await lab.SignInAsync(rp, passkey);
        Assert.Equal(passkey.Credential.Id, verified.CredentialId);
        Assert.True(verified.SignCount > passkey.Credential.SignCount);
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Without_its_root_the_attestation_is_not_trusted_and_refused_when_trust_is_required(AttestationKind kind, int alg, string compound)
    {
        using var lab = new LibraryRelyingParty(Options(kind, alg, compound));
        if (lab.OwnRoots().Count == 0)
        {
            // none and packed self attestation: nothing to trust or distrust.
            var plain = await lab.RegisterAsync(lab.Create(alg, [], requireTrusted: false));
            Assert.Equal(AttestationTrustStatus.NoTrustPath, plain.Trust.Status);
            return;
        }

        // No anchors at all: the statement verifies, and the result says it is not trusted.
        var untrusted = await lab.RegisterAsync(lab.Create(alg, [], requireTrusted: false));
        Assert.Equal(AttestationTrustStatus.NoAnchors, untrusted.Trust.Status);
        Assert.False(untrusted.Trust.IsTrusted);

        // Only some other test CA's root of the same vendor: the chain leads elsewhere, refused.
        using var stranger = new TestCertificateAuthority(seed: 424242);
        IList<X509Certificate2> wrongRoots = [.. RootKinds(kind, compound).Select(stranger.RootFor)];
        var error = await Assert.ThrowsAsync<PasskeyException>(() => lab.RegisterAsync(lab.Create(alg, wrongRoots, requireTrusted: true)));
        Assert.Equal(PasskeyError.AttestationNotTrusted, error.Error);
    }

    internal static SoftwareAuthenticatorOptions Options(AttestationKind kind, int alg, string compound) => new()
    {
        Seed = 11,
        Attestation = kind,
        Algorithms = [alg],
        CompoundAttestation = Compound(compound) ?? AttestationKinds.DefaultCompound,
    };

    private static IEnumerable<AttestationKind> RootKinds(AttestationKind kind, string compound) =>
        kind == AttestationKind.Compound
            ? Compound(compound)!.Where(k => k is not (AttestationKind.None or AttestationKind.PackedSelf))
            : [kind];

    private static IReadOnlyList<AttestationKind>? Compound(string pair) =>
        pair.Length == 0 ? null : [.. pair.Split('+').Select(Enum.Parse<AttestationKind>)];
}
