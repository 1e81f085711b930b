using Microsoft.Extensions.Options;
using Passkeys.Server.Configuration;
using Passkeys.Server.Storage;

namespace Passkeys.Server.Tokens;

/// <summary>
/// Runs at every start, before the first request: every stored signing key not in the configured
/// form (plaintext from an older version, or still under the key ring after a switch to a KEK) is
/// re-encrypted in place, and every key this node cannot decrypt stops the start
/// with a message that says why and what to do, unless
/// <c>Passkeys:KeyProtection:DangerouslyReplaceUnreadableKeys</c> says to delete them (new keys are
/// then made at the next token issue).
/// </summary>
/// <remarks>
/// Refusing to start is the default because an unreadable key almost always means a misconfigured
/// node (a key ring or KEK that is not the one the other nodes use) or a database copied without
/// its key ring; replacing the keys silently would make nodes of one cluster retire each other's
/// keys, and make a stolen database copy look like a working server.
/// </remarks>
public sealed partial class SigningKeyMigration(IPasskeyStore store, SigningKeyProtector protector, IOptions<PasskeysServerOptions> options,
    ILogger<SigningKeyMigration> logger)
{
    /// <summary>Migrates or checks every tenant's keys.</summary>
    /// <exception cref="InvalidOperationException">Keys cannot be decrypted and replacing them is not allowed.</exception>
    public async Task RunAsync(CancellationToken ct)
    {
        var unreadable = new List<SigningKeyUnreadableException>();
        var migrated = 0;
        foreach (var tenant in await store.ListTenantsAsync(ct).ConfigureAwait(false))
        {
            foreach (var key in await store.ListSigningKeysAsync(tenant.Id, ct).ConfigureAwait(false))
            {
                byte[] pkcs8;
                try
                {
                    pkcs8 = protector.Unprotect(key);
                }
                catch (SigningKeyUnreadableException e)
                {
                    unreadable.Add(e);
                    continue;
                }
                if (!protector.IsCurrent(key.PrivateKey))
                {
                    var replacement = protector.Protect(key.TenantId, key.KeyId, pkcs8);
                    if (await store.ReplaceSigningKeyMaterialAsync(key.TenantId, key.KeyId, key.PrivateKey, replacement, ct).ConfigureAwait(false))
                    {
                        migrated++;
                    }
                }
                System.Security.Cryptography.CryptographicOperations.ZeroMemory(pkcs8);
            }
        }
        if (migrated > 0)
        {
            LogMigrated(logger, migrated, protector.CurrentForm);
        }
        if (unreadable.Count == 0)
        {
            return;
        }
        if (!options.Value.KeyProtection.DangerouslyReplaceUnreadableKeys)
        {
            throw new InvalidOperationException(
                $"{unreadable.Count} token signing key(s) in the database cannot be decrypted by this server. {unreadable[0].Message} " +
                "Start it with the key ring (Passkeys:KeyProtection:KeyRingDirectory) or key-encryption key (Passkeys:KeyProtection:KeyEncryptionKey) " +
                "that encrypted them; every node sharing a database must use the same one. If they are lost for good, start once with " +
                "Passkeys:KeyProtection:DangerouslyReplaceUnreadableKeys=true: the keys are deleted and new ones made, access tokens they signed " +
                "stop verifying, sessions and passkeys are not affected.");
        }
        foreach (var e in unreadable)
        {
            await store.DeleteSigningKeyAsync(e.TenantId, e.KeyId, ct).ConfigureAwait(false);
            LogReplaced(logger, e.KeyId, e.TenantId, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Encrypted {Count} token signing key(s) at rest ({Form}).")]
    private static partial void LogMigrated(ILogger logger, int count, StoredKeyForm form);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deleted signing key {Kid} of tenant {Tenant}, which cannot be decrypted (DangerouslyReplaceUnreadableKeys); a new key is made at the next token issue.")]
    private static partial void LogReplaced(ILogger logger, string kid, string tenant, Exception exception);
}
