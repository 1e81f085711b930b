namespace Passkeys.Server.Storage;

// Revoked authenticators (Metadata/RevokedAuthenticatorSweep.cs): the passkeys of one authenticator model, across tenants.
public partial interface IPasskeyStore
{
    /// <summary>
    /// Up to <paramref name="limit"/> active credentials of every tenant whose authenticator model is
    /// <paramref name="aaguid"/>, ordered by tenant and id (so concurrent sweeps on several nodes
    /// lock rows in one order). Suspending them takes them out of the next call's answer.
    /// </summary>
    Task<IReadOnlyList<CredentialRecordRow>> ListActiveCredentialsOfModelAsync(Guid aaguid, int limit, CancellationToken cancellationToken = default);
}
