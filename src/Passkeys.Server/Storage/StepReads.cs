namespace Passkeys.Server.Storage;

/// <summary>A credential and the user it belongs to, read together (<see cref="IStoreStep.GetCredentialWithUserAsync"/>).</summary>
/// <param name="User">Null when the user's row is missing.</param>
public sealed record CredentialWithUser(CredentialRecordRow Credential, UserRecord? User);

/// <summary>
/// What a sign-in by username offers in <c>allowCredentials</c>, read with the user
/// (<see cref="IStoreStep.GetAllowCredentialsByNameAsync"/>): the user's id and default passkey, and
/// the id and transports of each of their passkeys.
/// </summary>
/// <param name="Credentials">In the order of <see cref="IStoreStep.ListCredentialsAsync"/>; empty when the user has none.</param>
public sealed record AllowCredentials(string UserId, byte[]? DefaultCredentialId, IReadOnlyList<Passkeys.Ceremonies.CredentialDescriptor> Credentials);

/// <summary>
/// A ceremony and the credential a response to it names, with that credential's user, read together
/// (<see cref="IStoreStep.GetCeremonyWithCredentialAsync"/>).
/// </summary>
/// <param name="Credential">Null when the tenant has no credential with that id.</param>
public sealed record CeremonyWithCredential(CeremonyRecord Ceremony, CredentialWithUser? Credential);
