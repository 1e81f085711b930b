using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Passkeys.Server.Configuration;
using Passkeys.Server.Security;

namespace Passkeys.Server.Tokens;

/// <summary>What a token says about the sign-in; <paramref name="SessionId"/> (<c>sid</c>) is set when the token belongs to a session.</summary>
public sealed record TokenSubject(string UserId, string CredentialId, bool UserVerified, DateTimeOffset AuthTime, string? TransactionHash, string? SessionId = null)
{
    /// <summary>
    /// A step-up token proves that the user confirmed one transaction (<c>txn</c>); it is not a
    /// sign-in and is refused wherever an access token is required.
    /// </summary>
    public bool IsStepUp => TransactionHash is not null;

    /// <summary>The token's <c>token_use</c> claim.</summary>
    public string Use => IsStepUp ? TokenUse.StepUp : TokenUse.Access;
}

/// <summary>
/// Values of the <c>token_use</c> claim, which says what a token may be used for, so that neither
/// kind can stand in for the other (apps verifying a step-up token check it too, see docs/api.md).
/// </summary>
public static class TokenUse
{
    /// <summary>An access token: a signed-in user (sign-in, registration, session refresh).</summary>
    public const string Access = "access";
    /// <summary>A step-up token: one confirmed transaction, its hash in <c>txn</c>.</summary>
    public const string StepUp = "step_up";
}

/// <summary>
/// The outcome of checking a token: the subject when valid; <paramref name="Expired"/> when the
/// token is this server's and intact but past its expiry (the caller should refresh it).
/// </summary>
public sealed record TokenCheck(TokenSubject? Subject, bool Expired);

/// <summary>A signed token and its expiry.</summary>
public sealed record IssuedToken(string Token, DateTimeOffset ExpiresAt);

/// <summary>
/// Issues and validates the tenant's JWTs (ES256). Claims: iss, aud (tenant id), sub (user id),
/// cid (credential id), auth_time, uv, amr, token_use (access | step_up), txn (step-up), sid (session),
/// iat, nbf, exp, jti.
/// </summary>
public sealed class TokenService(SigningKeys keys, TimeProvider time, IOptions<PasskeysServerOptions> options, PublicBaseUrl publicBaseUrl)
{
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly TokenOptions _options = options.Value.Tokens;

    /// <summary>The issuer for a tenant, <c>{base}/v1/tenants/{tenant}</c>, with the base from configuration (<see cref="PublicBaseUrl"/>).</summary>
    public string IssuerFor(string tenantId) => $"{publicBaseUrl.Value}/v1/tenants/{tenantId}";

    /// <summary>Signs a token for <paramref name="subject"/>.</summary>
    public async Task<IssuedToken> IssueAsync(string tenantId, string issuer, TokenSubject subject, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var key = await keys.GetActiveAsync(tenantId, ct).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var expires = now + _options.Lifetime;
        var claims = new Dictionary<string, object>
        {
            ["sub"] = subject.UserId,
            ["cid"] = subject.CredentialId,
            ["auth_time"] = subject.AuthTime.ToUnixTimeSeconds(),
            ["uv"] = subject.UserVerified,
            ["amr"] = subject.UserVerified ? new[] { "hwk", "user" } : new[] { "hwk" },
            ["jti"] = Secrets.RandomId(),
            ["token_use"] = subject.Use,
        };
        if (subject.TransactionHash is not null)
        {
            claims["txn"] = subject.TransactionHash;
        }
        if (subject.SessionId is not null)
        {
            claims["sid"] = subject.SessionId;
        }
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = tenantId,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            Claims = claims,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.EcdsaSha256),
        });
        return new IssuedToken(token, DateTimeOffset.FromUnixTimeSeconds(expires.ToUnixTimeSeconds()));
    }

    /// <summary>Validates a token this server issued for the tenant; null when invalid for any reason (expired included).</summary>
    public async Task<TokenSubject?> ValidateAsync(string tenantId, string issuer, string? token, CancellationToken ct) =>
        (await CheckAsync(tenantId, issuer, token, ct).ConfigureAwait(false)).Subject;

    /// <summary>Validates a token this server issued for the tenant, telling an expired one apart from an invalid one.</summary>
    public async Task<TokenCheck> CheckAsync(string tenantId, string issuer, string? token, CancellationToken ct)
    {
        var invalid = new TokenCheck(null, false);
        if (string.IsNullOrEmpty(token) || token.Length > 8192)
        {
            return invalid;
        }
        var result = await ValidateSignedAsync(tenantId, issuer, token, ct).ConfigureAwait(false);
        if (!result.IsValid && result.Exception is SecurityTokenSignatureKeyNotFoundException && keys.ForgetIfUnseen(tenantId))
        {
            // Signed with a key this node has not read yet (another node rotated just now): read the keys again, once.
            result = await ValidateSignedAsync(tenantId, issuer, token, ct).ConfigureAwait(false);
        }
        if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt)
        {
            return invalid;
        }
        if (!jwt.TryGetPayloadValue<string>("sub", out var sub) || !jwt.TryGetPayloadValue<string>("cid", out var cid))
        {
            return invalid;
        }
        if (time.GetUtcNow().UtcDateTime >= jwt.ValidTo + Skew)
        {
            return new TokenCheck(null, true);
        }
        jwt.TryGetPayloadValue<bool>("uv", out var uv);
        jwt.TryGetPayloadValue<long>("auth_time", out var authTime);
        jwt.TryGetPayloadValue<string>("txn", out var txn);
        jwt.TryGetPayloadValue<string>("sid", out var sid);
        var subject = new TokenSubject(sub, cid, uv, DateTimeOffset.FromUnixTimeSeconds(authTime), txn, sid);
        // token_use must agree with txn. Tokens issued before the claim existed (at most one
        // token lifetime ago) have none; their kind is then told by txn alone.
        if (jwt.TryGetPayloadValue<string>("token_use", out var use) && use != subject.Use)
        {
            return invalid;
        }
        return new TokenCheck(subject, false);
    }

    private static readonly TimeSpan Skew = TimeSpan.FromSeconds(30);

    private async Task<TokenValidationResult> ValidateSignedAsync(string tenantId, string issuer, string token, CancellationToken ct)
    {
        var published = await keys.GetPublishedAsync(tenantId, ct).ConfigureAwait(false);
        var skew = Skew;
        return await _handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = issuer,
            ValidAudience = tenantId,
            IssuerSigningKeys = published,
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
            ClockSkew = skew,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            // Expiry is checked below, once the signature is known to be good, so that "expired"
            // is only ever said of a token this server really issued.
            LifetimeValidator = (notBefore, expires, _, p) =>
                expires is not null && (notBefore is null || time.GetUtcNow().UtcDateTime >= notBefore.Value - p.ClockSkew),
        }).ConfigureAwait(false);
    }
}
