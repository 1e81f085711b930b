using System.Text.Json;

namespace PasswordApp;

/// <summary>One of the app's own users: what it had before passkeys (a name and a password hash).</summary>
public sealed record AppUser(string Id, string Name, string DisplayName, string PasswordHash);

/// <summary>
/// The app's users in one JSON file, written whole through a temporary file and a rename so a
/// crash never leaves half a file. Passwords are hashed with ASP.NET Core Identity's
/// <see cref="PasswordHasher{TUser}"/> (PBKDF2-HMAC-SHA512, salted, versioned), never stored.
/// </summary>
public sealed class UserStore
{
    private readonly string _path;
    private readonly Lock _gate = new();
    private readonly PasswordHasher<AppUser> _hasher = new();
    private readonly Dictionary<string, AppUser> _byName;

    public UserStore(string path)
    {
        _path = Path.GetFullPath(path);
        var users = File.Exists(_path) ? JsonSerializer.Deserialize<List<AppUser>>(File.ReadAllText(_path)) ?? [] : [];
        // Names compare without case, as people type them.
        _byName = users.ToDictionary(u => u.Name, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Creates a user with a password; null when the name is taken.</summary>
    public AppUser? Create(string name, string displayName, string password)
    {
        lock (_gate)
        {
            if (_byName.ContainsKey(name))
            {
                return null;
            }
            var draft = new AppUser(Guid.NewGuid().ToString("N"), name, displayName, "");
            var user = draft with { PasswordHash = _hasher.HashPassword(draft, password) };
            _byName[name] = user;
            Save();
            return user;
        }
    }

    /// <summary>The user when the password matches; null otherwise (unknown name or wrong password alike).</summary>
    public AppUser? CheckPassword(string name, string password)
    {
        AppUser? user;
        lock (_gate)
        {
            _byName.TryGetValue(name, out user);
        }
        if (user is null)
        {
            // Hash anyway, so an unknown name takes as long as a wrong password.
            _hasher.HashPassword(new AppUser("", name, "", ""), password);
            return null;
        }
        var result = _hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (result == PasswordVerificationResult.SuccessRehashNeeded)
        {
            lock (_gate)
            {
                user = user with { PasswordHash = _hasher.HashPassword(user, password) };
                _byName[user.Name] = user;
                Save();
            }
        }
        return result == PasswordVerificationResult.Failed ? null : user;
    }

    public AppUser? FindById(string id)
    {
        lock (_gate)
        {
            return _byName.Values.FirstOrDefault(u => u.Id == id);
        }
    }

    private void Save()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        var temporary = _path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(_byName.Values.ToList()));
        File.Move(temporary, _path, overwrite: true);
    }
}
