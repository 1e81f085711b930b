using System.Security.Cryptography;
using Passkeys.Cose;

namespace Passkeys.Tests.Cose;

public class CoseAlgorithmsTests
{
    [Theory]
    [InlineData(CoseAlgorithm.ES256, "ES256")]
    [InlineData(CoseAlgorithm.EdDSA, "EdDSA")]
    [InlineData(CoseAlgorithm.ESP256, "ESP256")]
    [InlineData(CoseAlgorithm.Ed25519, "Ed25519")]
    [InlineData(CoseAlgorithm.Ed448, "Ed448")]
    [InlineData(CoseAlgorithm.PS384, "PS384")]
    [InlineData(CoseAlgorithm.MLDsa44, "ML-DSA-44")]
    [InlineData(CoseAlgorithm.MLDsa87, "ML-DSA-87")]
    [InlineData(CoseAlgorithm.RS1, "RS1")]
    [InlineData((CoseAlgorithm)(-12345), "COSE(-12345)")]
    public void Names_algorithms(CoseAlgorithm alg, string name)
    {
        Assert.Equal(name, CoseAlgorithms.Name(alg));
    }

    [Fact]
    public void Every_algorithm_has_a_registered_value_and_a_name()
    {
        int[] registered = [-7, -8, -9, -19, -35, -36, -37, -38, -39, -48, -49, -50, -51, -52, -53, -257, -258, -259, -65535];
        Assert.Equal(registered.Order(), Enum.GetValues<CoseAlgorithm>().Select(a => (int)a).Order());
        foreach (var alg in Enum.GetValues<CoseAlgorithm>())
        {
            Assert.DoesNotContain("COSE(", CoseAlgorithms.Name(alg), StringComparison.Ordinal);
            Assert.True(CoseAlgorithms.IsKnown(alg));
        }
    }

    [Theory]
    [InlineData(CoseAlgorithm.ES256, "SHA256")]
    [InlineData(CoseAlgorithm.ESP256, "SHA256")]
    [InlineData(CoseAlgorithm.RS256, "SHA256")]
    [InlineData(CoseAlgorithm.PS256, "SHA256")]
    [InlineData(CoseAlgorithm.ES384, "SHA384")]
    [InlineData(CoseAlgorithm.ESP512, "SHA512")]
    [InlineData(CoseAlgorithm.RS1, "SHA1")]
    [InlineData(CoseAlgorithm.EdDSA, null)]
    [InlineData(CoseAlgorithm.Ed448, null)]
    [InlineData(CoseAlgorithm.MLDsa65, null)]
    public void Maps_algorithms_to_their_hash(CoseAlgorithm alg, string? hash)
    {
        Assert.Equal(hash, CoseAlgorithms.HashAlgorithm(alg)?.Name);
    }

    [Fact]
    public void Every_known_algorithm_is_supported_on_every_platform()
    {
        // EdDSA and ML-DSA fall back to BouncyCastle where OpenSSL lacks them.
        foreach (var alg in Enum.GetValues<CoseAlgorithm>())
        {
            Assert.True(CoseAlgorithms.IsSupported(alg), CoseAlgorithms.Name(alg));
        }
        Assert.False(CoseAlgorithms.IsSupported((CoseAlgorithm)(-12345)));
    }
}
