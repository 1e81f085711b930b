using System.Xml.Linq;

namespace Passkeys.Packaging.Tests;

/// <summary>
/// Packs Passkeys and Passkeys.Authenticator once (Release, `dotnet pack -o`) into a temporary
/// folder that serves as a NuGet feed for every test of the class, and deletes it afterwards.
/// </summary>
public sealed class PackedFeed : IDisposable
{
    /// <summary>The projects a developer installs, in dependency order.</summary>
    public static readonly string[] PackageIds = ["Passkeys", "Passkeys.Authenticator"];

    public PackedFeed()
    {
        RepositoryRoot = FindRepositoryRoot(AppContext.BaseDirectory);
        Version = CentralVersion(RepositoryRoot);
        Directory = Path.Combine(Path.GetTempPath(), "passkeys-feed-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        foreach (string id in PackageIds)
        {
            DotnetCommand.Run(RepositoryRoot, "pack", Path.Combine("src", id, id + ".csproj"), "-c", "Release", "-o", Directory, "--nologo", "--disable-build-servers")
                .EnsureSuccess($"dotnet pack {id}");
        }
    }

    /// <summary>The checkout: the directory holding Passkeys.slnx.</summary>
    public string RepositoryRoot { get; }

    /// <summary>The folder feed holding the .nupkg and .snupkg files.</summary>
    public string Directory { get; }

    /// <summary>The one version in Directory.Build.props, which every package must carry.</summary>
    public string Version { get; }

    /// <summary>The path of a package in the feed.</summary>
    public string PackagePath(string id, string extension = "nupkg") => Path.Combine(Directory, $"{id}.{Version}.{extension}");

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A temporary folder left behind is harmless; never fail a test over it.
        }
    }

    /// <summary>The checkout holding the tests' binaries.</summary>
    public static string FindRepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Passkeys.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"Passkeys.slnx was not found above {start}");
    }

    private static string CentralVersion(string root)
    {
        var props = XDocument.Load(Path.Combine(root, "Directory.Build.props"));
        return props.Descendants("Version").Select(v => v.Value.Trim()).SingleOrDefault(v => v.Length > 0)
            ?? throw new InvalidOperationException("Directory.Build.props sets no Version");
    }
}
