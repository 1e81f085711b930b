using Passkeys.Cose;

namespace Passkeys.Authenticator.Crypto;

/// <summary>An Ed25519 key (COSE EdDSA, curve Ed25519). Signatures are deterministic by design.</summary>
internal sealed class Ed25519CredentialKey : CredentialKey
{
    // SubjectPublicKeyInfo for id-Ed25519 (RFC 8410): SEQUENCE { SEQUENCE { OID 1.3.101.112 }, BIT STRING }.
    private static readonly byte[] s_spkiPrefix = Convert.FromHexString("302a300506032b6570032100");

    private readonly byte[] _privateKey;

    private Ed25519CredentialKey(byte[] privateKey)
    {
        _privateKey = privateKey;
        PublicKey = EdDsa.GetPublicKey(CoseCurve.Ed25519, privateKey);
        CosePublicKey = TemporaryCoseEncoding.Okp((int)CoseAlgorithm.EdDSA, (int)CoseCurve.Ed25519, PublicKey);
        SubjectPublicKeyInfo = [.. s_spkiPrefix, .. PublicKey];
    }

    public override int Algorithm => SupportedAlgorithms.EdDSA;

    public override byte[] CosePublicKey { get; }

    public override byte[] SubjectPublicKeyInfo { get; }

    /// <summary>The raw 32-byte public key.</summary>
    public byte[] PublicKey { get; }

    /// <summary>A key whose 32-byte RFC 8032 secret comes from <paramref name="random"/>.</summary>
    public static Ed25519CredentialKey Generate(RandomSource random) => new(random.GetBytes(32));

    public static Ed25519CredentialKey Import(byte[] privateKey) => new((byte[])privateKey.Clone());

    public override byte[] Sign(ReadOnlySpan<byte> data) => EdDsa.Sign(CoseCurve.Ed25519, _privateKey, data);

    public override byte[] ExportPrivateKey() => (byte[])_privateKey.Clone();
}
