using System.Diagnostics;
using System.Security.Cryptography;

using System.Text.Json;

using Passkeys.Ceremonies;
using Passkeys.Protocol;

using Passkeys.Server.Endpoints;
using Passkeys.Server.Errors;
using Passkeys.Server.Metadata;
using Passkeys.Server.Observability;
using Passkeys.Server.Security;
using Passkeys.Server.Security.Usernames;
using Passkeys.Server.Sessions;
using Passkeys.Server.Storage;
using Passkeys.Server.Tokens;

namespace Passkeys.Server.Ceremonies;

/// <summary>
/// Runs registration, authentication and step-up for a tenant: the library does the WebAuthn
/// checks; this class keeps the ceremony state in the store (consumed exactly once), decides which
/// user a ceremony is for, writes the result and issues the token (and, for a sign-in, starts a
/// session with its refresh token). Every begin, success and failure
/// is audited, and recorded in the ceremony's funnel row (docs/analytics.md); a failed finish writes
/// nothing else.
/// </summary>
/// <remarks>
/// Each step reads as begin → verify → one commit: it opens one <see cref="IStoreStep"/> (one
/// connection), reads what it needs, verifies with no lock held (tokens are signed then too), and
/// writes everything (consumed ceremony, credential, session, audit event) in one transaction. A
/// failed step rolls that back and commits instead the consumed ceremony and its failure event.
/// While a step's transaction is open nothing may write through <see cref="IPasskeyStore"/>
/// directly: on SQLite that write would wait for the gate the step holds.
/// </remarks>
public sealed partial class CeremonyService(
    IPasskeyStore store, RelyingParties parties, Access access, TokenService tokens, AuditLog audit, TimeProvider time,
    FakeCredentialSource fakes, SessionService sessions, AuthenticatorDirectory authenticators)
{
    private const int MaxNameLength = 64;
    private const int MaxTransactionLength = 4096;

    internal static CredentialRecord ToLibrary(CredentialRecordRow row) => new()
    {
        Id = row.Id,
        UserHandle = row.UserHandle,
        PublicKey = row.PublicKey,
        Algorithm = (Passkeys.Cose.CoseAlgorithm)row.Algorithm,
        SignCount = (uint)Math.Clamp(row.SignCount, 0, uint.MaxValue),
        UvInitialized = row.UvInitialized,
        BackupEligible = row.BackupEligible,
        BackupState = row.BackupState,
        Transports = row.Transports,
        Aaguid = row.Aaguid,
        AttestationFormat = row.AttestationFormat,
        AttestationTrusted = row.AttestationTrusted,
    };

    private async Task<string> SaveAsync(IStoreStep step, string tenantId, CeremonyKind kind, byte[] state, DateTimeOffset expiresAt, string? userId, CeremonyData? data,
        CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var id = Secrets.TimeOrderedId(now);
        await step.SaveCeremonyAsync(new CeremonyRecord(tenantId, id, kind, state, userId, data?.ToJson(), now, expiresAt), ct).ConfigureAwait(false);
        return id;
    }

    /// <summary>
    /// Reads the ceremony a finish names, without consuming it: it is consumed in the step's
    /// transaction, after verification (<see cref="ConsumeVerifiedAsync"/>) or by the failure path
    /// (<see cref="FailAsync"/>), so a response can be tried exactly once either way.
    /// </summary>
    private async Task<CeremonyRecord> ReadCeremonyAsync(IStoreStep step, string tenantId, string? ceremonyId, CeremonyKind kind, CancellationToken ct)
    {
        return CheckCeremony(await step.GetCeremonyAsync(tenantId, RequireCeremonyId(ceremonyId), ct).ConfigureAwait(false), kind);
    }

    /// <summary>The id a finish names, refused as unknown unless it can be a ceremony's (<see cref="IsCeremonyId"/>).</summary>
    private static string RequireCeremonyId(string? ceremonyId) =>
        IsCeremonyId(ceremonyId) ? ceremonyId! : throw new ServerException(ServerError.CeremonyNotFound);

    /// <summary>The refusals of <see cref="ReadCeremonyAsync"/> for a ceremony read (null: unknown): of another kind, or expired.</summary>
    private CeremonyRecord CheckCeremony(CeremonyRecord? ceremony, CeremonyKind kind)
    {
        if (ceremony is null || ceremony.Kind != kind)
        {
            throw new ServerException(ServerError.CeremonyNotFound);
        }
        if (ceremony.ExpiresAt <= time.GetUtcNow())
        {
            throw new PasskeyException(PasskeyError.CeremonyExpired, $"the ceremony expired at {ceremony.ExpiresAt:O}");
        }
        return ceremony;
    }

    // Ids are base64url (Secrets.TimeOrderedId; Secrets.RandomId before): anything else names no ceremony, and is refused
    // before it reaches the store (PostgreSQL cannot even compare text holding NUL).
    private static bool IsCeremonyId(string? ceremonyId) =>
        !string.IsNullOrEmpty(ceremonyId) && ceremonyId.Length <= 64 && !ceremonyId.AsSpan().ContainsAnyExcept(Base64UrlCharacters);

    private static readonly System.Buffers.SearchValues<char> Base64UrlCharacters =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    /// <summary>
    /// Consumes the ceremony a verified response answered, in the step's transaction. Of racing
    /// finishes of one ceremony (on any node) only the one whose <c>DELETE … RETURNING</c> gets the
    /// row may commit a success; the others fail here as if they had come after it.
    /// </summary>
    private static async Task ConsumeVerifiedAsync(IStoreStep step, CeremonyRecord ceremony, CancellationToken ct)
    {
        if (await step.ConsumeCeremonyAsync(ceremony.TenantId, ceremony.Id, ceremony.Kind, ct).ConfigureAwait(false) is null)
        {
            throw new ServerException(ServerError.CeremonyNotFound);
        }
    }

    /// <summary>The refusal of a suspended credential, with a message that says truly why.</summary>
    private static ServerException SuspendedError(string? reason) => new(ServerError.CredentialSuspended, reason switch
    {
        SuspendedReason.Operator => "This passkey was turned off by the site. Sign in with another passkey or a recovery code.",
        SuspendedReason.AuthenticatorRevoked =>
            "For your safety this passkey was turned off because its kind of security key is no longer trusted. Sign in with another passkey or a recovery code.",
        _ => ProblemFactory.SuspendedMessage,
    });

    private static string ResponseJson(JsonElement response)
    {
        if (response.ValueKind != JsonValueKind.Object)
        {
            throw new PasskeyException(PasskeyError.MalformedResponse, $"response must be a JSON object, not {response.ValueKind}");
        }
        return response.GetRawText();
    }

    private static JsonElement ParseJson(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    /// <summary>Trims and checks a text value: required, at most <paramref name="max"/> characters, no control characters.</summary>
    public static string CheckText(string? value, string field, int max)
    {
        var v = value?.Trim();
        if (string.IsNullOrEmpty(v))
        {
            throw new ServerException(ServerError.ValidationFailed, $"{field} is required.");
        }
        if (v.Length > max || v.Any(char.IsControl))
        {
            throw new ServerException(ServerError.ValidationFailed, $"{field} must be at most {max} characters without control characters.");
        }
        return v;
    }
}
