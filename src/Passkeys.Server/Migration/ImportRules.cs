using System.Security.Cryptography;
using Passkeys.Cose;
using Passkeys.Server.Errors;
using Passkeys.Server.Security.Usernames;
using Passkeys.Server.Storage;

namespace Passkeys.Server.Migration;

/// <summary>
/// The rules every imported user and credential follows, whatever file shape it came in: the same
/// limits the API applies to new ones, a public key the library can verify with, and no two entries
/// of one file claiming the same id, name or handle. Each failure names the JSON path at fault.
/// </summary>
internal static class ImportRules
{
    /// <summary>Most users one file may hold (a bound on work and memory; split bigger tenants into several files).</summary>
    public const int MaxUsers = 100_000;
    /// <summary>Most credentials one user may have in a file.</summary>
    public const int MaxCredentialsPerUser = 100;

    /// <summary>A user id as the API accepts it.</summary>
    public static string UserId(JsonField field) => field.Text(128);

    /// <summary>A user name under the username rules (docs/api.md, "Usernames"), keeping their codes.</summary>
    public static string UserName(JsonField field)
    {
        var text = field.Text(256);
        try
        {
            return UsernameRules.Check(text, field.Path);
        }
        catch (ServerException e)
        {
            throw new ServerException(e.Error, e.Message) { Path = field.Path };
        }
    }

    /// <summary>A WebAuthn user handle: 1 to 64 bytes.</summary>
    public static byte[] Handle(JsonField field) => field.Bytes(1, 64);

    /// <summary>
    /// Decodes a credential public key (COSE_Key) as sign-in will; its algorithm must be
    /// <paramref name="algorithm"/> when the file states one.
    /// </summary>
    public static CosePublicKey PublicKey(JsonField field, long? algorithm, string algorithmPath)
    {
        var bytes = field.Bytes(1, 8192);
        CosePublicKey key;
        try
        {
            key = CosePublicKey.Decode(bytes);
        }
        catch (PasskeyException e)
        {
            throw field.Invalid($"is not a COSE public key this server can verify with ({e.Error}).");
        }
        if (!CoseAlgorithms.IsSupported(key.Algorithm))
        {
            throw field.Invalid($"uses algorithm {(int)key.Algorithm}, which this server does not verify.");
        }
        if (algorithm is { } stated && stated != (int)key.Algorithm)
        {
            throw JsonField.Invalid(algorithmPath, $"is {stated}, but the public key's algorithm is {(int)key.Algorithm}.");
        }
        return key;
    }

    /// <summary>Transports as reported by the browser: up to 8 short names.</summary>
    public static IReadOnlyList<string> Transports(JsonField? field) =>
        field is { } f ? [.. f.Items(8).Select(t => t.Text(32))] : [];

    /// <summary>BS without BE cannot happen (WebAuthn §6.1.3): a file saying so is damaged.</summary>
    public static void BackupFlags(bool eligible, bool state, string statePath)
    {
        if (state && !eligible)
        {
            throw JsonField.Invalid(statePath, "is true, but the credential is not backup eligible; a passkey cannot be backed up without being eligible.");
        }
    }

    /// <summary>
    /// Where a file carries the registration's attestation object: the AAGUID, format and UV flag it
    /// records, after checking that the passkey was made for <paramref name="rpId"/> (the rpIdHash), so
    /// passkeys of another site are refused at import rather than at every sign-in. Null without one.
    /// </summary>
    public static RegistrationFacts? FromAttestationObject(JsonField? field, string rpId, ReadOnlySpan<byte> credentialId)
    {
        if (field is not { } f)
        {
            return null;
        }
        var bytes = f.Bytes(0, 1 << 20);
        if (bytes.Length == 0)
        {
            return null; // Identity stores [] when it kept none.
        }
        Passkeys.Protocol.AttestationObject attestation;
        try
        {
            attestation = Passkeys.Protocol.AttestationObject.Parse(bytes);
        }
        catch (PasskeyException e)
        {
            throw f.Invalid($"is not an attestation object ({e.Error}).");
        }
        var data = attestation.AuthenticatorData;
        if (!data.RpIdHash.SequenceEqual(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(rpId))))
        {
            throw f.Invalid($"was made for another relying party id than the tenant's '{rpId}'; the passkey could not sign in here.");
        }
        if (data.AttestedCredentialData is not { } attested || !attested.CredentialId.Span.SequenceEqual(credentialId))
        {
            throw f.Invalid("does not hold this credential's id.");
        }
        return new RegistrationFacts(attested.Aaguid, attestation.Format, data.UserVerified);
    }

    /// <summary>No two users of the file share an id, name (as compared) or handle; no two credentials an id.</summary>
    public static void Unique(IReadOnlyList<PlannedUser> users)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var names = new HashSet<string>(StringComparer.Ordinal);
        var handles = new HashSet<string>(StringComparer.Ordinal);
        var credentials = new HashSet<string>(StringComparer.Ordinal);
        foreach (var user in users)
        {
            if (!ids.Add(user.User.Id))
            {
                throw JsonField.Invalid(user.Path, $"repeats the user id '{user.User.Id}'.");
            }
            if (!names.Add(UsernameRules.Key(user.User.Name)))
            {
                throw JsonField.Invalid(user.Path, $"repeats the user name '{user.User.Name}' (names are compared ignoring case and width).");
            }
            if (!handles.Add(Convert.ToBase64String(user.User.Handle)))
            {
                throw JsonField.Invalid(user.Path, "repeats another user's handle.");
            }
            foreach (var credential in user.Credentials)
            {
                if (!credentials.Add(Convert.ToBase64String(credential.Row.Id)))
                {
                    throw JsonField.Invalid(credential.Path, "repeats another credential's id.");
                }
            }
        }
    }
}

/// <summary>What a registration's attestation object says about the passkey.</summary>
internal sealed record RegistrationFacts(Guid Aaguid, string Format, bool UserVerified);
