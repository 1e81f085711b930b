using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Passkeys.Server.Configuration;
using Passkeys.Server.Security;

namespace Passkeys.Server.Tokens;

/// <summary>What a token says about the sign-in.</summary>
public sealed record TokenSubject(string UserId, string CredentialId, bool UserVerified, DateTimeOffset AuthTime, string? TransactionHash);

/// <summary>A signed token and its expiry.</summary>
public sealed record IssuedToken(string Token, DateTimeOffset ExpiresAt);

/// <summary>
/// Issues and validates the tenant's JWTs (ES256). Claims: iss, aud (tenant id), sub (user id),
/// cid (credential id), auth_time, uv, amr, txn (step-up), iat, nbf, exp, jti.
/// </summary>
public sealed class TokenService(SigningKeys keys, TimeProvider time, IOptions<PasskeysServerOptions> options)
{
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly TokenOptions _options = options.Value.Tokens;

    /// <summary>The issuer for a tenant: the configured base or the request's scheme and host.</summary>
    public string IssuerFor(HttpRequest request, string tenantId)
    {
        ArgumentNullException.ThrowIfNull(request);
        var baseUrl = string.IsNullOrEmpty(_options.Issuer) ? $"{request.Scheme}://{request.Host}" : _options.Issuer.TrimEnd('/');
        return $"{baseUrl}/v1/tenants/{tenantId}";
    }

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
        };
        if (subject.TransactionHash is not null)
        {
            claims["txn"] = subject.TransactionHash;
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

    /// <summary>Validates a token this server issued for the tenant; null when invalid for any reason.</summary>
    public async Task<TokenSubject?> ValidateAsync(string tenantId, string issuer, string? token, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 8192)
        {
            return null;
        }
        var published = await keys.GetPublishedAsync(tenantId, ct).ConfigureAwait(false);
        var result = await _handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = issuer,
            ValidAudience = tenantId,
            IssuerSigningKeys = published,
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
            ClockSkew = TimeSpan.FromSeconds(30),
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            LifetimeValidator = (notBefore, expires, _, p) =>
            {
                var now = time.GetUtcNow().UtcDateTime;
                return expires is not null && now < expires.Value + p.ClockSkew && (notBefore is null || now >= notBefore.Value - p.ClockSkew);
            },
        }).ConfigureAwait(false);
        if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt)
        {
            return null;
        }
        if (!jwt.TryGetPayloadValue<string>("sub", out var sub) || !jwt.TryGetPayloadValue<string>("cid", out var cid))
        {
            return null;
        }
        jwt.TryGetPayloadValue<bool>("uv", out var uv);
        jwt.TryGetPayloadValue<long>("auth_time", out var authTime);
        jwt.TryGetPayloadValue<string>("txn", out var txn);
        return new TokenSubject(sub, cid, uv, DateTimeOffset.FromUnixTimeSeconds(authTime), txn);
    }
}
