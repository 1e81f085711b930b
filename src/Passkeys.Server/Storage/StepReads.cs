namespace Passkeys.Server.Storage;

/// <summary>A credential and the user it belongs to, read together (<see cref="IStoreStep.GetCredentialWithUserAsync"/>).</summary>
/// <param name="User">Null when the user's row is missing.</param>
public sealed record CredentialWithUser(CredentialRecordRow Credential, UserRecord? User);

/// <summary>A user and their credentials, read together (<see cref="IStoreStep.GetUserWithCredentialsByNameAsync"/>).</summary>
/// <param name="Credentials">In the order of <see cref="IStoreStep.ListCredentialsAsync"/>; empty when the user has none.</param>
public sealed record UserWithCredentials(UserRecord User, IReadOnlyList<CredentialRecordRow> Credentials);
