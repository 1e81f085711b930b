using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Passkeys.Server.Configuration;
using Passkeys.Server.Security;
using Passkeys.Server.Storage;

namespace Passkeys.Server.Tokens;

/// <summary>How a signing key's private part is held in the <c>signing_keys.private_key</c> column.</summary>
public enum StoredKeyForm
{
    /// <summary>Bare PKCS#8, as versions before encryption at rest wrote it (migrated at start).</summary>
    Plaintext,
    /// <summary>Encrypted by ASP.NET Core Data Protection (its key ring).</summary>
    DataProtection,
    /// <summary>Encrypted by an explicit key-encryption key (<see cref="KeyEncryptionKey"/>).</summary>
    KeyEncryptionKey,
    /// <summary>None of the above: damaged.</summary>
    Unknown,
}

/// <summary>
/// The one place where signing keys are encrypted for the store and decrypted from it, so that the
/// database alone (or a backup, or a copy) cannot sign a token: the key that decrypts them lives
/// outside the database, in the Data Protection key ring's folder or in the configured KEK. Callers
/// may cache what <see cref="Unprotect"/> returns; nothing here caches.
/// </summary>
public sealed partial class SigningKeyProtector
{
    // Data Protection payloads start with this magic header (version 0x09F0C9F0).
    private static ReadOnlySpan<byte> DataProtectionMagic => [0x09, 0xF0, 0xC9, 0xF0];
    private const string Purpose = "Passkeys.Server.SigningKeys.v1";

    private readonly IDataProtectionProvider _dataProtection;
    private readonly KeyEncryptionKey? _kek;
    private readonly ILogger<SigningKeyProtector> _logger;

    /// <summary>Reads the KEK when one is configured; otherwise Data Protection is used.</summary>
    /// <exception cref="InvalidOperationException">The KEK file cannot be read or holds no valid key.</exception>
    public SigningKeyProtector(IDataProtectionProvider dataProtection, IOptions<PasskeysServerOptions> options, ILogger<SigningKeyProtector> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _dataProtection = dataProtection;
        _logger = logger;
        _kek = LoadKek(options.Value.KeyProtection, logger);
    }

    /// <summary>The form new keys are written in.</summary>
    public StoredKeyForm CurrentForm => _kek is null ? StoredKeyForm.DataProtection : StoredKeyForm.KeyEncryptionKey;

    /// <summary>Which form a stored value is in (by its first bytes; a PKCS#8 key is a DER SEQUENCE, 0x30).</summary>
    public static StoredKeyForm FormOf(ReadOnlySpan<byte> stored) =>
        stored.StartsWith(DataProtectionMagic) ? StoredKeyForm.DataProtection
        : KeyEncryptionKey.IsSealed(stored) ? StoredKeyForm.KeyEncryptionKey
        : stored.Length > 0 && stored[0] == 0x30 ? StoredKeyForm.Plaintext
        : StoredKeyForm.Unknown;

    /// <summary>True when <paramref name="stored"/> is in the configured form and under this node's key (no migration needed).</summary>
    public bool IsCurrent(ReadOnlySpan<byte> stored) => _kek is null ? FormOf(stored) == StoredKeyForm.DataProtection : _kek.IsOwnSealed(stored);

    /// <summary>Encrypts a PKCS#8 private key for the row (<paramref name="tenantId"/>, <paramref name="keyId"/>).</summary>
    public byte[] Protect(string tenantId, string keyId, byte[] pkcs8)
    {
        ArgumentNullException.ThrowIfNull(pkcs8);
        return _kek is not null ? _kek.Seal(tenantId, keyId, pkcs8) : ProtectorFor(tenantId, keyId).Protect(pkcs8);
    }

    /// <summary>The PKCS#8 private key of a stored record, whatever form it is in.</summary>
    /// <exception cref="SigningKeyUnreadableException">It cannot be decrypted with this node's key ring or KEK, or is damaged.</exception>
    public byte[] Unprotect(SigningKeyRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var stored = record.PrivateKey;
        var form = FormOf(stored);
        try
        {
            switch (form)
            {
                case StoredKeyForm.Plaintext:
                    // Written by a version before encryption at rest (e.g. an old node during a rolling
                    // upgrade); encrypted by the next start's migration.
                    LogPlaintext(_logger, record.TenantId, record.KeyId);
                    return stored.ToArray(); // a copy: callers wipe what they get
                case StoredKeyForm.DataProtection:
                    return ProtectorFor(record.TenantId, record.KeyId).Unprotect(stored);
                case StoredKeyForm.KeyEncryptionKey when _kek is not null:
                    return _kek.Open(record.TenantId, record.KeyId, stored);
                case StoredKeyForm.KeyEncryptionKey:
                    throw new SigningKeyUnreadableException(record, form,
                        "it is encrypted with a key-encryption key, and none is configured (Passkeys:KeyProtection:KeyEncryptionKey)");
                default:
                    throw new SigningKeyUnreadableException(record, form, "the stored value is neither a key nor an encrypted key");
            }
        }
        catch (CryptographicException e)
        {
            var where = form == StoredKeyForm.DataProtection
                ? "it was encrypted with a Data Protection key that is not in this node's key ring (Passkeys:KeyProtection:KeyRingDirectory)"
                : "it was encrypted with a different key-encryption key (Passkeys:KeyProtection:KeyEncryptionKey)";
            throw new SigningKeyUnreadableException(record, form, $"{where}: {e.Message}", e);
        }
    }

    /// <summary>
    /// Encrypts another secret the server must be able to read back (a webhook endpoint's HMAC key)
    /// the same way as signing keys, bound to its <paramref name="purpose"/>, tenant and id.
    /// </summary>
    public byte[] ProtectSecret(string purpose, string tenantId, string id, byte[] secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return _kek is not null ? _kek.Seal(tenantId, purpose + ":" + id, secret) : _dataProtection.CreateProtector(purpose, tenantId, id).Protect(secret);
    }

    /// <summary>The secret <see cref="ProtectSecret"/> encrypted.</summary>
    /// <exception cref="CryptographicException">It cannot be decrypted with this node's key ring or KEK, or is damaged.</exception>
    public byte[] UnprotectSecret(string purpose, string tenantId, string id, byte[] stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        return FormOf(stored) switch
        {
            StoredKeyForm.DataProtection => _dataProtection.CreateProtector(purpose, tenantId, id).Unprotect(stored),
            StoredKeyForm.KeyEncryptionKey when _kek is not null => _kek.Open(tenantId, purpose + ":" + id, stored),
            StoredKeyForm.KeyEncryptionKey => throw new CryptographicException("it is encrypted with a key-encryption key, and none is configured"),
            _ => throw new CryptographicException("the stored value is not an encrypted secret"),
        };
    }

    private IDataProtector ProtectorFor(string tenantId, string keyId) => _dataProtection.CreateProtector(Purpose, tenantId, keyId);

    private static KeyEncryptionKey? LoadKek(KeyProtectionOptions options, ILogger logger)
    {
        if (!string.IsNullOrEmpty(options.KeyEncryptionKey))
        {
            return KeyEncryptionKey.FromBase64(options.KeyEncryptionKey, "Passkeys:KeyProtection:KeyEncryptionKey");
        }
        if (string.IsNullOrEmpty(options.KeyEncryptionKeyFile))
        {
            return null;
        }
        var file = Path.GetFullPath(options.KeyEncryptionKeyFile);
        string text;
        try
        {
            text = File.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"Passkeys:KeyProtection:KeyEncryptionKeyFile names {file}, which cannot be read: {e.Message}", e);
        }
        if (OwnerOnlyFiles.IsOpenToOthers(file))
        {
            LogKekFileOpen(logger, file);
        }
        return KeyEncryptionKey.FromBase64(text, $"Passkeys:KeyProtection:KeyEncryptionKeyFile ({file})");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Signing key {Kid} of tenant {Tenant} is stored unencrypted (written by an older version); it is encrypted at the next start.")]
    private static partial void LogPlaintext(ILogger logger, string tenant, string kid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The key-encryption key file {Path} is readable by other accounts; make it owner-only (chmod 600).")]
    private static partial void LogKekFileOpen(ILogger logger, string path);
}

/// <summary>A stored signing key that this node cannot decrypt.</summary>
public sealed class SigningKeyUnreadableException : Exception
{
    /// <summary>Creates the exception; the message names the tenant, the kid and why.</summary>
    public SigningKeyUnreadableException(SigningKeyRecord record, StoredKeyForm form, string reason, Exception? inner = null)
        : base($"Signing key {record?.KeyId} of tenant {record?.TenantId} cannot be decrypted: {reason}.", inner)
    {
        ArgumentNullException.ThrowIfNull(record);
        TenantId = record.TenantId;
        KeyId = record.KeyId;
        Form = form;
    }

    /// <summary>The key's tenant.</summary>
    public string TenantId { get; }

    /// <summary>The key's id.</summary>
    public string KeyId { get; }

    /// <summary>The form it is stored in.</summary>
    public StoredKeyForm Form { get; }
}
