using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;
using Passkeys.Server.Security;
using Passkeys.Server.Tokens;
using static OpenIddict.Server.OpenIddictServerEvents;
using static OpenIddict.Server.OpenIddictServerHandlers.Protection;

namespace Passkeys.Server.Oidc;

/// <summary>
/// Every token the provider makes or reads uses the tenant's keys, never a server-wide one:
/// ID and access tokens are signed with the tenant's rotating ES256 key (<see cref="SigningKeys"/>,
/// published at <c>{issuer}/jwks.json</c>); authorization codes and refresh tokens are also
/// encrypted, with a key derived from the tenant's secret (<see cref="TenantKeys"/>), so that every
/// node sharing the database reads them and no tenant can read another's.
/// </summary>
/// <remarks>
/// OpenIddict requires one server-wide signing and encryption key at start; those registered in
/// <see cref="OidcServices"/> are random, per process, and replaced here before any token is made
/// or validated, so they are never used (a token the placeholder could verify is refused, because
/// validation is given only the tenant's published keys).
/// </remarks>
public static class OidcTenantCredentials
{
    /// <summary>The derivation label of the tenant's token encryption key.</summary>
    public const string EncryptionPurpose = "passkeys/oidc-token-encryption/v1";

    private static async Task<SecurityKey> EncryptionKeyAsync(TenantKeys keys, string tenantId, CancellationToken ct) =>
        new SymmetricSecurityKey(await keys.GetAsync(tenantId, EncryptionPurpose, ct).ConfigureAwait(false)) { KeyId = "oidc-enc" };

    /// <summary>Chooses the tenant's credentials for a token being made (after OpenIddict's AttachSecurityCredentials).</summary>
    public sealed class ForGeneration(SigningKeys signing, TenantKeys keys) : IOpenIddictServerHandler<GenerateTokenContext>
    {
        /// <summary>Right after AttachSecurityCredentials, before the token is created.</summary>
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<GenerateTokenContext>()
            .UseSingletonHandler<ForGeneration>()
            .SetOrder(AttachSecurityCredentials.Descriptor.Order + 500)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

        /// <inheritdoc />
        public async ValueTask HandleAsync(GenerateTokenContext context)
        {
            ArgumentNullException.ThrowIfNull(context);
            var tenant = OidcTenantResolver.TenantOf(context.Transaction);
            var ct = context.Transaction.GetHttpRequestAborted();
            var key = await signing.GetActiveAsync(tenant.Id, ct).ConfigureAwait(false);
            context.SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.EcdsaSha256);
            // Only tokens OpenIddict would encrypt (codes, refresh tokens) get the tenant's encryption key;
            // ID and access tokens stay signed-only JWTs that any client verifies against the JWKS.
            if (context.EncryptionCredentials is not null)
            {
                context.EncryptionCredentials = new EncryptingCredentials(await EncryptionKeyAsync(keys, tenant.Id, ct).ConfigureAwait(false),
                    SecurityAlgorithms.Aes256KW, SecurityAlgorithms.Aes256CbcHmacSha512);
            }
        }
    }

    /// <summary>Gives token validation the tenant's published keys only (after OpenIddict's ResolveTokenValidationParameters).</summary>
    public sealed class ForValidation(SigningKeys signing, TenantKeys keys) : IOpenIddictServerHandler<ValidateTokenContext>
    {
        /// <summary>Right after ResolveTokenValidationParameters, before the token is read.</summary>
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenContext>()
            .UseSingletonHandler<ForValidation>()
            .SetOrder(ResolveTokenValidationParameters.Descriptor.Order + 500)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

        /// <inheritdoc />
        public async ValueTask HandleAsync(ValidateTokenContext context)
        {
            ArgumentNullException.ThrowIfNull(context);
            var tenant = OidcTenantResolver.TenantOf(context.Transaction);
            var ct = context.Transaction.GetHttpRequestAborted();
            var parameters = context.TokenValidationParameters;
            parameters.IssuerSigningKeys = await signing.GetPublishedAsync(tenant.Id, ct).ConfigureAwait(false);
            parameters.IssuerSigningKey = null;
            // The JWT handler checks the encryption algorithms of codes and refresh tokens against this list too.
            parameters.ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.Aes256KW, SecurityAlgorithms.Aes256CbcHmacSha512];
            parameters.TokenDecryptionKeys = [await EncryptionKeyAsync(keys, tenant.Id, ct).ConfigureAwait(false)];
            parameters.TokenDecryptionKey = null;
            // OpenIddict's resolvers look up its server-wide keys and would win over the lists above.
            parameters.IssuerSigningKeyResolver = null;
            parameters.TokenDecryptionKeyResolver = null;
        }
    }

    private static CancellationToken GetHttpRequestAborted(this OpenIddictServerTransaction transaction) =>
        Microsoft.AspNetCore.OpenIddictServerAspNetCoreHelpers.GetHttpRequest(transaction)?.HttpContext.RequestAborted ?? default;
}
