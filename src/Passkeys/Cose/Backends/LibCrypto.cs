using System.Runtime.InteropServices;

namespace Passkeys.Cose.Backends;

/// <summary>
/// The few OpenSSL 3 libcrypto entry points EdDSA needs. .NET has no Ed25519/Ed448 API, but on
/// Linux it already loads libcrypto.so.3 for its own cryptography, so these calls add no dependency.
/// </summary>
/// <remarks>
/// Source-generated (<see cref="LibraryImportAttribute"/>) so the binding is AOT-compatible; every
/// object OpenSSL allocates is returned as a <see cref="SafeHandle"/> so nothing leaks on an
/// exception. OpenSSL reference: EVP_PKEY_new_raw_public_key(3), EVP_DigestVerifyInit(3), EVP_DigestSignInit(3).
/// </remarks>
internal static partial class LibCrypto
{
    private const string Library = "libcrypto.so.3";

    /// <summary>EVP_PKEY_ED25519 (NID_ED25519).</summary>
    internal const int EvpPKeyEd25519 = 1087;

    /// <summary>EVP_PKEY_ED448 (NID_ED448).</summary>
    internal const int EvpPKeyEd448 = 1088;

    [LibraryImport(Library)]
    internal static partial EvpPKeyHandle EVP_PKEY_new_raw_public_key(int type, IntPtr engine, ReadOnlySpan<byte> key, nuint keyLength);

    [LibraryImport(Library)]
    internal static partial EvpPKeyHandle EVP_PKEY_new_raw_private_key(int type, IntPtr engine, ReadOnlySpan<byte> key, nuint keyLength);

    [LibraryImport(Library)]
    internal static partial int EVP_PKEY_get_raw_public_key(EvpPKeyHandle key, Span<byte> publicKey, ref nuint length);

    [LibraryImport(Library)]
    internal static partial void EVP_PKEY_free(IntPtr key);

    [LibraryImport(Library)]
    internal static partial EvpMdCtxHandle EVP_MD_CTX_new();

    [LibraryImport(Library)]
    internal static partial void EVP_MD_CTX_free(IntPtr context);

    // The digest is NULL for EdDSA: Ed25519 and Ed448 hash internally (RFC 8032 §5.1.6, §5.2.6).
    [LibraryImport(Library)]
    internal static partial int EVP_DigestVerifyInit(EvpMdCtxHandle context, IntPtr keyContext, IntPtr digest, IntPtr engine, EvpPKeyHandle key);

    [LibraryImport(Library)]
    internal static partial int EVP_DigestVerify(EvpMdCtxHandle context, ReadOnlySpan<byte> signature, nuint signatureLength, ReadOnlySpan<byte> data, nuint dataLength);

    [LibraryImport(Library)]
    internal static partial int EVP_DigestSignInit(EvpMdCtxHandle context, IntPtr keyContext, IntPtr digest, IntPtr engine, EvpPKeyHandle key);

    [LibraryImport(Library)]
    internal static partial int EVP_DigestSign(EvpMdCtxHandle context, Span<byte> signature, ref nuint signatureLength, ReadOnlySpan<byte> data, nuint dataLength);

    // A failed call leaves entries on OpenSSL's per-thread error queue; .NET's own OpenSSL calls on
    // the same thread would otherwise find them and report a stale error.
    [LibraryImport(Library)]
    internal static partial void ERR_clear_error();
}

/// <summary>An owned EVP_PKEY*, freed with EVP_PKEY_free.</summary>
internal sealed class EvpPKeyHandle : SafeHandle
{
    /// <summary>Used by the interop marshaller.</summary>
    public EvpPKeyHandle() : base(IntPtr.Zero, ownsHandle: true) { }

    /// <inheritdoc />
    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <inheritdoc />
    protected override bool ReleaseHandle()
    {
        LibCrypto.EVP_PKEY_free(handle);
        return true;
    }
}

/// <summary>An owned EVP_MD_CTX*, freed with EVP_MD_CTX_free.</summary>
internal sealed class EvpMdCtxHandle : SafeHandle
{
    /// <summary>Used by the interop marshaller.</summary>
    public EvpMdCtxHandle() : base(IntPtr.Zero, ownsHandle: true) { }

    /// <inheritdoc />
    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <inheritdoc />
    protected override bool ReleaseHandle()
    {
        LibCrypto.EVP_MD_CTX_free(handle);
        return true;
    }
}
