using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;
using Passkeys.Authenticator.Crypto;

namespace Passkeys.Authenticator.Tests.Crypto;

public class EcCurveMathTests
{
    // RFC 6979 appendix A.2.5: P-256, SHA-256, message "sample".
    private const string Rfc6979PrivateKey = "C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721";

    [Fact]
    public void Rfc6979_vector_for_P256_SHA256_sample_gives_the_published_r_and_s()
    {
        var d = EcCurveMath.ToInt(Convert.FromHexString(Rfc6979PrivateKey));
        byte[] der = EcCurveMath.P256.SignDeterministic(d, "sample"u8, HashAlgorithmName.SHA256);

        var reader = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
        BigInteger r = reader.ReadInteger();
        BigInteger s = reader.ReadInteger();
        Assert.Equal("EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716", Convert.ToHexString(EcCurveMath.ToFixed(r, 32)));
        Assert.Equal("F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8", Convert.ToHexString(EcCurveMath.ToFixed(s, 32)));
    }

    [Fact]
    public void Public_point_derived_from_the_RFC6979_key_matches_the_published_one()
    {
        var p = EcCurveMath.P256.ToParameters(EcCurveMath.ToInt(Convert.FromHexString(Rfc6979PrivateKey)));
        Assert.Equal("60FED4BA255A9D31C961EB74C6356D68C049B8923B61FA6CE669622E60F29FB6", Convert.ToHexString(p.Q.X!));
        Assert.Equal("7903FE1008B8BC99A41AE9E95628BC64F2F1B20C2D7E9F5177A3C294D4462299", Convert.ToHexString(p.Q.Y!));
    }

    public static TheoryData<int> EcAlgorithms => [SupportedAlgorithms.ES256, SupportedAlgorithms.ES384, SupportedAlgorithms.ES512];

    [Theory]
    [MemberData(nameof(EcAlgorithms))]
    public void Deterministic_signatures_verify_with_the_platform_and_repeat_exactly(int alg)
    {
        using var key = CredentialKey.Generate(alg, new SeededRandom(7, "test"), deterministicSignatures: true);
        var ec = (EcCredentialKey)key;
        byte[] first = key.Sign("hello"u8);
        byte[] second = key.Sign("hello"u8);

        Assert.Equal(first, second);
        Assert.True(ec.Ecdsa.VerifyData("hello"u8, first, ec.Hash, DSASignatureFormat.Rfc3279DerSequence));
    }

    [Fact]
    public void Seeded_generators_repeat_and_differ_by_seed_and_label()
    {
        Assert.Equal(new SeededRandom(1, "a").GetBytes(40), new SeededRandom(1, "a").GetBytes(40));
        Assert.NotEqual(new SeededRandom(1, "a").GetBytes(40), new SeededRandom(2, "a").GetBytes(40));
        Assert.NotEqual(new SeededRandom(1, "a").GetBytes(40), new SeededRandom(1, "b").GetBytes(40));
    }
}
