namespace Passkeys.Cli.Tests.Authenticator;

/// <summary>A credential store path in a fresh temporary folder, deleted on dispose.</summary>
internal sealed class TempStore : IDisposable
{
    public TempStore() => Directory.CreateDirectory(Folder);

    public string Folder { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "passkeys-cli-" + Guid.NewGuid().ToString("N"));

    public string Path => System.IO.Path.Combine(Folder, "store.json");

    public void Dispose()
    {
        try { Directory.Delete(Folder, true); } catch (IOException) { }
    }
}
