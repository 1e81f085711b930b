using Microsoft.AspNetCore.Identity;

namespace Passkeys.Benchmarks;

/// <summary>The user type ASP.NET Core Identity's passkey handler is instantiated with.</summary>
public sealed class BenchUser
{
    public required string Id { get; init; }
    public string? UserName { get; set; }
    public string? NormalizedUserName { get; set; }
    public List<UserPasskeyInfo> Passkeys { get; } = [];
}

/// <summary>
/// The smallest in-memory user store that lets <see cref="PasskeyHandler{TUser}"/> run an assertion:
/// lookups by user id and by credential id, answered synchronously from one list, so the handler's
/// own work is what gets measured.
/// </summary>
public sealed class InMemoryPasskeyStore : IUserPasskeyStore<BenchUser>
{
    private readonly List<BenchUser> _users = [];

    public void Add(BenchUser user) => _users.Add(user);

    public Task<BenchUser?> FindByIdAsync(string userId, CancellationToken cancellationToken)
    {
        foreach (var user in _users)
        {
            if (string.Equals(user.Id, userId, StringComparison.Ordinal))
            {
                return Task.FromResult<BenchUser?>(user);
            }
        }
        return Task.FromResult<BenchUser?>(null);
    }

    public Task<UserPasskeyInfo?> FindPasskeyAsync(BenchUser user, byte[] credentialId, CancellationToken cancellationToken)
    {
        foreach (var passkey in user.Passkeys)
        {
            if (passkey.CredentialId.AsSpan().SequenceEqual(credentialId))
            {
                return Task.FromResult<UserPasskeyInfo?>(passkey);
            }
        }
        return Task.FromResult<UserPasskeyInfo?>(null);
    }

    public Task<BenchUser?> FindByPasskeyIdAsync(byte[] credentialId, CancellationToken cancellationToken)
    {
        foreach (var user in _users)
        {
            foreach (var passkey in user.Passkeys)
            {
                if (passkey.CredentialId.AsSpan().SequenceEqual(credentialId))
                {
                    return Task.FromResult<BenchUser?>(user);
                }
            }
        }
        return Task.FromResult<BenchUser?>(null);
    }

    public Task<IList<UserPasskeyInfo>> GetPasskeysAsync(BenchUser user, CancellationToken cancellationToken) =>
        Task.FromResult<IList<UserPasskeyInfo>>(user.Passkeys);

    public Task AddOrUpdatePasskeyAsync(BenchUser user, UserPasskeyInfo passkey, CancellationToken cancellationToken)
    {
        user.Passkeys.RemoveAll(p => p.CredentialId.AsSpan().SequenceEqual(passkey.CredentialId));
        user.Passkeys.Add(passkey);
        return Task.CompletedTask;
    }

    public Task RemovePasskeyAsync(BenchUser user, byte[] credentialId, CancellationToken cancellationToken)
    {
        user.Passkeys.RemoveAll(p => p.CredentialId.AsSpan().SequenceEqual(credentialId));
        return Task.CompletedTask;
    }

    public Task<string> GetUserIdAsync(BenchUser user, CancellationToken cancellationToken) => Task.FromResult(user.Id);

    public Task<string?> GetUserNameAsync(BenchUser user, CancellationToken cancellationToken) => Task.FromResult(user.UserName);

    public Task SetUserNameAsync(BenchUser user, string? userName, CancellationToken cancellationToken)
    {
        user.UserName = userName;
        return Task.CompletedTask;
    }

    public Task<string?> GetNormalizedUserNameAsync(BenchUser user, CancellationToken cancellationToken) => Task.FromResult(user.NormalizedUserName);

    public Task SetNormalizedUserNameAsync(BenchUser user, string? normalizedName, CancellationToken cancellationToken)
    {
        user.NormalizedUserName = normalizedName;
        return Task.CompletedTask;
    }

    public Task<IdentityResult> CreateAsync(BenchUser user, CancellationToken cancellationToken)
    {
        _users.Add(user);
        return Task.FromResult(IdentityResult.Success);
    }

    public Task<IdentityResult> UpdateAsync(BenchUser user, CancellationToken cancellationToken) => Task.FromResult(IdentityResult.Success);

    public Task<IdentityResult> DeleteAsync(BenchUser user, CancellationToken cancellationToken)
    {
        _users.Remove(user);
        return Task.FromResult(IdentityResult.Success);
    }

    public Task<BenchUser?> FindByNameAsync(string normalizedUserName, CancellationToken cancellationToken)
    {
        foreach (var user in _users)
        {
            if (string.Equals(user.NormalizedUserName, normalizedUserName, StringComparison.Ordinal))
            {
                return Task.FromResult<BenchUser?>(user);
            }
        }
        return Task.FromResult<BenchUser?>(null);
    }

    public void Dispose() { }
}
