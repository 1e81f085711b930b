using System.Text.Json;

namespace Passkeys.Cli.Vectors;

/// <summary>
/// One test vector file (schema: shared/vectors/README.md). Unknown members are ignored, so the
/// corpus can grow fields without breaking the runner.
/// </summary>
public sealed class TestVector
{
    private TestVector(string path, JsonElement root)
    {
        Path = path;
        Root = root;
    }

    /// <summary>Where the vector was read from.</summary>
    public string Path { get; }

    /// <summary>The whole document.</summary>
    public JsonElement Root { get; }

    /// <summary>"registration" or "authentication".</summary>
    public string Ceremony => Root.GetProperty("ceremony").GetString() ?? "";

    /// <summary>The RP ID.</summary>
    public string RpId => Root.GetProperty("rpId").GetString() ?? "";

    /// <summary>The expected origin.</summary>
    public string Origin => Root.GetProperty("origin").GetString() ?? "";

    /// <summary>The challenge issued, base64url.</summary>
    public string ExpectedChallenge => Root.GetProperty("expectedChallenge").GetString() ?? "";

    /// <summary>The response as the browser sent it.</summary>
    public JsonElement Response => Root.GetProperty("response");

    /// <summary>The expected outcome.</summary>
    public JsonElement Expected => Root.GetProperty("expected");

    /// <summary>Whether the RP must accept the response.</summary>
    public bool ExpectedOk => Expected.GetProperty("ok").GetBoolean();

    /// <summary>requireUserVerification (null = not required).</summary>
    public bool RequireUserVerification => Root.TryGetProperty("requireUserVerification", out var v) && v.ValueKind == JsonValueKind.True;

    /// <summary>The optional context object (empty object when absent).</summary>
    public JsonElement Context => Root.TryGetProperty("context", out var c) && c.ValueKind == JsonValueKind.Object ? c : default;

    /// <summary>The vector's tags.</summary>
    public IReadOnlyList<string> Tags => Root.TryGetProperty("tags", out var t) && t.ValueKind == JsonValueKind.Array
        ? [.. t.EnumerateArray().Select(x => x.GetString() ?? "")]
        : [];

    /// <summary>A context member, when present.</summary>
    public bool TryContext(string name, out JsonElement value)
    {
        value = default;
        return Context.ValueKind == JsonValueKind.Object && Context.TryGetProperty(name, out value);
    }

    /// <summary>Reads a vector file.</summary>
    public static TestVector Load(string path)
    {
        using var stream = File.OpenRead(path);
        using var document = JsonDocument.Parse(stream);
        return new TestVector(path, document.RootElement.Clone());
    }

    /// <summary>Every *.json vector under <paramref name="directory"/>, in a stable order.</summary>
    public static IEnumerable<string> Find(string directory) =>
        Directory.EnumerateFiles(directory, "*.json", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{System.IO.Path.DirectorySeparatorChar}metadata{System.IO.Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
}
