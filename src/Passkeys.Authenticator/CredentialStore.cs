using System.Text.Json;
using System.Text.Json.Serialization;

namespace Passkeys.Authenticator;

/// <summary>
/// The credentials a software authenticator holds, saved to and loaded from a JSON file so that
/// a CLI session can log in with a passkey created earlier. Thread-safe.
/// </summary>
public sealed class CredentialStore
{
    private static readonly JsonSerializerOptions s_json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly Lock _lock = new();
    private readonly List<StoredCredential> _credentials = [];

    /// <summary>
    /// How far a seeded authenticator's credential generator has advanced; saved so that a reloaded
    /// seeded authenticator does not create the same keys and ids again.
    /// </summary>
    public long RandomPosition
    {
        get { lock (_lock) { return _randomPosition; } }
        set { lock (_lock) { _randomPosition = value; } }
    }

    private long _randomPosition;

    /// <summary>A snapshot of the credentials, oldest first.</summary>
    public IReadOnlyList<StoredCredential> Credentials
    {
        get
        {
            lock (_lock)
            {
                return [.. _credentials];
            }
        }
    }

    /// <summary>Adds a credential.</summary>
    public void Add(StoredCredential credential)
    {
        ArgumentNullException.ThrowIfNull(credential);
        lock (_lock)
        {
            _credentials.Add(credential);
        }
    }

    /// <summary>Removes every credential with this id; returns whether any was removed.</summary>
    public bool Remove(string credentialId)
    {
        lock (_lock)
        {
            return _credentials.RemoveAll(c => c.CredentialId == credentialId) > 0;
        }
    }

    /// <summary>The store as JSON: {"version":1,"randomPosition":n,"credentials":[…]}.</summary>
    public string ToJson()
    {
        lock (_lock)
        {
            return JsonSerializer.Serialize(new StoreFile { Version = 1, RandomPosition = _randomPosition, Credentials = [.. _credentials] }, s_json);
        }
    }

    /// <summary>Reads a store from <see cref="ToJson"/>'s output.</summary>
    /// <exception cref="FormatException">The JSON is not a version-1 store.</exception>
    public static CredentialStore FromJson(string json)
    {
        StoreFile? file;
        try
        {
            file = JsonSerializer.Deserialize<StoreFile>(json, s_json);
        }
        catch (JsonException e)
        {
            throw new FormatException("not a credential store: " + e.Message, e);
        }
        if (file is null || file.Version != 1)
        {
            throw new FormatException($"unsupported credential store version {file?.Version}");
        }
        var store = new CredentialStore { RandomPosition = file.RandomPosition };
        foreach (var credential in file.Credentials)
        {
            store.Add(credential);
        }
        return store;
    }

    /// <summary>Writes the store to <paramref name="path"/> (replacing it).</summary>
    public void Save(string path) => File.WriteAllText(path, ToJson());

    /// <summary>Reads a store from <paramref name="path"/>.</summary>
    public static CredentialStore Load(string path) => FromJson(File.ReadAllText(path));

    private sealed class StoreFile
    {
        public int Version { get; set; }
        public long RandomPosition { get; set; }
        public List<StoredCredential> Credentials { get; set; } = [];
    }
}
