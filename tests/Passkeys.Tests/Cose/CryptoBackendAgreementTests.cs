using Passkeys.Cose;
using Passkeys.Cose.Backends;
using Passkeys.TestSupport;
using Xunit.Abstractions;

namespace Passkeys.Tests.Cose;

/// <summary>
/// Issue 16: whichever backend verifies (OpenSSL or BouncyCastle for EdDSA; the platform or
/// BouncyCastle for ML-DSA), the verdict is the same: on every signature in the shared vectors,
/// on thousands of fuzzed and mutated inputs from a fixed seed, and on the small-order keys. Each
/// backend is run directly behind the library's one verification path, with no global switch.
/// </summary>
public class CryptoBackendAgreementTests(ITestOutputHelper output)
{
    private const int Seed = 16_2026;

    private static readonly IEdDsaBackend[] EdDsaBackends = [OpenSslEdDsaBackend.Instance, BouncyCastleEdDsaBackend.Instance];

    [Fact]
    public void Both_eddsa_backends_run_here()
    {
        Assert.True(OpenSslEdDsaBackend.Instance.IsAvailable, "libcrypto.so.3 is expected on this machine; the OpenSSL side of the comparison would be missing");
        Assert.True(BouncyCastleEdDsaBackend.Instance.IsAvailable);
        Assert.Equal("OpenSSL", CryptoBackends.EdDsa.Name);
    }

    [SharedDataFact]
    public void EdDsa_backends_agree_on_every_vector_signature_and_its_mutations()
    {
        var random = new Random(Seed);
        int signatures = 0, cases = 0;
        foreach (var vector in SignedVectorData.Find(CoseKeyType.OKP))
        {
            signatures++;
            var curve = vector.Key.Curve!.Value;
            byte[] key = vector.Key.GetRawOkpKey().ToArray();
            Assert.Equal("valid", AgreedEdDsa(curve, key, vector.Data, vector.Signature, vector.Name));
            foreach (var (k, d, s) in Mutations(random, key, vector.Data, vector.Signature, 40))
            {
                AgreedEdDsa(curve, k, d, s, vector.Name);
                cases++;
            }
        }
        output.WriteLine($"{signatures} EdDSA signatures from the vectors, {cases} mutations; OpenSSL and BouncyCastle agree on all");
        Assert.True(signatures >= 5, $"only {signatures} EdDSA signatures found in the vectors");
    }

    [Theory]
    [InlineData(CoseCurve.Ed25519)]
    [InlineData(CoseCurve.Ed448)]
    public void EdDsa_backends_agree_on_fuzzed_input(CoseCurve curve)
    {
        var random = new Random(Seed + (int)curve);
        var (keyLength, signatureLength) = EdDsaPolicy.Sizes(curve);
        var verdicts = new Dictionary<string, int>();
        for (int i = 0; i < 1000; i++)
        {
            byte[] secret = Bytes(random, keyLength);
            byte[] key = BouncyCastleEdDsaBackend.Instance.GetPublicKey(curve, secret);
            Assert.Equal(key, OpenSslEdDsaBackend.Instance.GetPublicKey(curve, secret));
            byte[] data = Bytes(random, random.Next(0, 200));
            byte[] signature = BouncyCastleEdDsaBackend.Instance.Sign(curve, secret, data);
            Assert.Equal(signature, OpenSslEdDsaBackend.Instance.Sign(curve, secret, data));
            (key, data, signature) = (i % 4) switch
            {
                0 => (key, data, signature),
                1 => Mutations(random, key, data, signature, 1).First(),
                // Random bytes where a key should be: mostly not points, some points of any order.
                2 => (Bytes(random, keyLength), data, signature),
                // S pushed to or past L, or a random scalar.
                _ => (key, data, WithScalar(random, curve, signature, signatureLength)),
            };
            string verdict = AgreedEdDsa(curve, key, data, signature, $"case {i}");
            verdicts[verdict] = verdicts.GetValueOrDefault(verdict) + 1;
        }
        output.WriteLine($"{curve}: 1000 fuzzed cases, same verdict on both backends: " + string.Join(", ", verdicts.Select(v => $"{v.Key} {v.Value}")));
        Assert.True(verdicts.Count >= 3, "the fuzzer should reach valid, invalid and refused keys");
    }

    [Theory]
    [MemberData(nameof(EdDsaKeyValidationTests.Ed25519SmallOrderPoints), MemberType = typeof(EdDsaKeyValidationTests))]
    public void EdDsa_backends_agree_on_small_order_keys(string point)
    {
        byte[] key = Convert.FromHexString(point);
        var random = new Random(Seed);
        // The classic forgeries under a small-order key: all-zero, R = identity with S = 0, R = the key itself.
        byte[][] signatures =
        [
            new byte[64],
            [.. Convert.FromHexString("0100000000000000000000000000000000000000000000000000000000000000"), .. new byte[32]],
            [.. key, .. new byte[32]],
            Bytes(random, 64),
        ];
        foreach (byte[] signature in signatures)
        {
            Assert.Equal(nameof(PasskeyError.PublicKeySmallOrder), AgreedEdDsa(CoseCurve.Ed25519, key, [1, 2, 3], signature, point));
        }
    }

    [SharedDataFact]
    public void MLDsa_backends_agree_on_every_vector_signature_and_its_mutations()
    {
        var backends = MLDsaBackends();
        var random = new Random(Seed);
        int signatures = 0, cases = 0;
        foreach (var vector in SignedVectorData.Find(CoseKeyType.AKP))
        {
            signatures++;
            byte[] key = vector.Key.GetRawAkpKey().ToArray();
            Assert.Equal("valid", AgreedMLDsa(backends, vector.Key.Algorithm, key, vector.Data, vector.Signature, vector.Name));
            foreach (var (k, d, s) in Mutations(random, key, vector.Data, vector.Signature, 12))
            {
                Assert.NotEqual("valid", AgreedMLDsa(backends, vector.Key.Algorithm, k, d, s, vector.Name));
                cases++;
            }
        }
        output.WriteLine($"{signatures} ML-DSA signatures from the vectors, {cases} mutations, backends: {string.Join(", ", backends.Select(b => b.Name))}");
        Assert.True(signatures >= 9, $"only {signatures} ML-DSA signatures found in the vectors");
    }

    [Theory]
    [InlineData(CoseAlgorithm.MLDsa44)]
    [InlineData(CoseAlgorithm.MLDsa65)]
    [InlineData(CoseAlgorithm.MLDsa87)]
    public void MLDsa_backends_agree_on_fuzzed_input(CoseAlgorithm alg)
    {
        var backends = MLDsaBackends();
        var random = new Random(Seed + (int)alg);
        var verdicts = new Dictionary<string, int>();
        for (int i = 0; i < 60; i++)
        {
            var (seed, key) = MLDsaKeys.Generate(alg, Bytes(random, 32));
            byte[] data = Bytes(random, random.Next(0, 200));
            byte[] signature = MLDsaKeys.Sign(alg, seed, data);
            (key, data, signature) = (i % 3) switch
            {
                0 => (key, data, signature),
                1 => Mutations(random, key, data, signature, 1).First(),
                _ => (Bytes(random, key.Length), data, signature),
            };
            string verdict = AgreedMLDsa(backends, alg, key, data, signature, $"case {i}");
            verdicts[verdict] = verdicts.GetValueOrDefault(verdict) + 1;
        }
        output.WriteLine($"{CoseAlgorithms.Name(alg)}: 60 fuzzed cases on {string.Join(", ", backends.Select(b => b.Name))}: " + string.Join(", ", verdicts.Select(v => $"{v.Key} {v.Value}")));
        Assert.Equal(20, verdicts["valid"]);
    }

    private IMLDsaBackend[] MLDsaBackends()
    {
        if (PlatformMLDsaBackend.Instance.IsAvailable)
        {
            return [PlatformMLDsaBackend.Instance, BouncyCastleMLDsaBackend.Instance];
        }
        output.WriteLine("The platform has no ML-DSA here (OpenSSL before 3.5): BouncyCastle is tested alone; the platform comparison runs where OpenSSL 3.5+ is installed.");
        return [BouncyCastleMLDsaBackend.Instance];
    }

    private static string AgreedEdDsa(CoseCurve curve, byte[] key, byte[] data, byte[] signature, string what)
    {
        string[] verdicts = [.. EdDsaBackends.Select(b => Verdict(() => EdDsa.Verify(b, curve, key, data, signature)))];
        Assert.True(verdicts.Distinct().Count() == 1, $"{what}: OpenSSL says {verdicts[0]}, BouncyCastle {verdicts[1]}");
        return verdicts[0];
    }

    private static string AgreedMLDsa(IMLDsaBackend[] backends, CoseAlgorithm alg, byte[] key, byte[] data, byte[] signature, string what)
    {
        string[] verdicts = [.. backends.Select(b => Verdict(() => MLDsaVerifier.Verify(b, alg, key, data, signature)))];
        Assert.True(verdicts.Distinct().Count() == 1, $"{what}: {string.Join(", ", backends.Zip(verdicts, (b, v) => $"{b.Name} says {v}"))}");
        return verdicts[0];
    }

    // Anything but a PasskeyException escaping a backend fails the test.
    private static string Verdict(Func<bool> verify)
    {
        try
        {
            return verify() ? "valid" : "invalid";
        }
        catch (PasskeyException e)
        {
            return e.Error.ToString();
        }
    }

    private static IEnumerable<(byte[] Key, byte[] Data, byte[] Signature)> Mutations(Random random, byte[] key, byte[] data, byte[] signature, int count)
    {
        for (int i = 0; i < count; i++)
        {
            byte[] k = (byte[])key.Clone(), d = (byte[])data.Clone(), s = (byte[])signature.Clone();
            byte[] target = (i % 3) switch { 0 => s, 1 => d.Length > 0 ? d : s, _ => k };
            int flips = 1 + random.Next(3);
            for (int f = 0; f < flips; f++)
            {
                int bit = random.Next(target.Length * 8);
                target[bit / 8] ^= (byte)(1 << (bit % 8));
            }
            yield return (k, d, s);
        }
    }

    private static byte[] WithScalar(Random random, CoseCurve curve, byte[] signature, int signatureLength)
    {
        return random.Next(3) switch
        {
            0 => EdDsaKeyValidationTests.WithSPlusL(curve, signature),
            1 => [.. signature.AsSpan(0, signatureLength / 2), .. Bytes(random, signatureLength / 2)],
            _ => [.. signature.AsSpan(0, signatureLength / 2), .. Enumerable.Repeat((byte)0xFF, signatureLength / 2)],
        };
    }

    private static byte[] Bytes(Random random, int length)
    {
        byte[] bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
