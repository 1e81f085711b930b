// LOCAL COMPILE STUB — never committed; replaced by the cose branch.
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Passkeys.Encoding;
namespace Passkeys.Cose;
#pragma warning disable CS1591
public enum CoseAlgorithm { ES256=-7, EdDSA=-8, ESP256=-9, Ed25519=-19, ES384=-35, ES512=-36, PS256=-37, PS384=-38, PS512=-39, MLDsa44=-48, MLDsa65=-49, MLDsa87=-50, ESP384=-51, ESP512=-52, Ed448=-53, RS256=-257, RS384=-258, RS512=-259, RS1=-65535 }
public enum CoseKeyType { OKP=1, EC2=2, RSA=3, AKP=7 }
public enum CoseCurve { P256=1, P384=2, P521=3, Ed25519=6, Ed448=7 }
public static class CoseAlgorithms {
  public static string Name(CoseAlgorithm alg) => alg.ToString();
  public static bool IsSupported(CoseAlgorithm alg) => true;
  public static HashAlgorithmName? HashAlgorithm(CoseAlgorithm alg) => HashAlgorithmName.SHA256;
}
public sealed class CosePublicKey {
  public static CosePublicKey Decode(ReadOnlyMemory<byte> encoded) => throw new InvalidOperationException();
  public static CosePublicKey FromCbor(CborMap map) => throw new InvalidOperationException();
  public static CosePublicKey FromCertificate(X509Certificate2 certificate, CoseAlgorithm alg) => throw new InvalidOperationException();
  public CoseAlgorithm Algorithm { get; }
  public CoseKeyType KeyType { get; }
  public CoseCurve? Curve { get; }
  public ReadOnlyMemory<byte> Encoded { get; }
  public bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature) => throw new InvalidOperationException();
  public bool HasSamePublicKey(X509Certificate2 certificate) => throw new InvalidOperationException();
  public bool HasSamePublicKey(CosePublicKey other) => throw new InvalidOperationException();
  public byte[] GetUncompressedEcPoint() => throw new InvalidOperationException();
  public ECParameters GetEcParameters() => throw new InvalidOperationException();
  public RSAParameters GetRsaParameters() => throw new InvalidOperationException();
  public ReadOnlyMemory<byte> GetRawOkpKey() => throw new InvalidOperationException();
}
