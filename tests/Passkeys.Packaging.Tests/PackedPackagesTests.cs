using System.IO.Compression;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Passkeys.Packaging.Tests;

/// <summary>
/// The packages as a developer installs them: what each .nupkg carries, and a fresh console project
/// outside the repository that installs both from the folder feed and runs the program printed in
/// Passkeys.Authenticator's README (the library's README example, with the software authenticator
/// as browser and device), which registers a passkey and signs in with it.
/// </summary>
public sealed partial class PackedPackagesTests(PackedFeed feed) : IClassFixture<PackedFeed>
{
    [Theory]
    [InlineData("Passkeys")]
    [InlineData("Passkeys.Authenticator")]
    public void Package_carries_its_metadata_readme_xml_docs_and_symbols(string id)
    {
        Assert.True(File.Exists(feed.PackagePath(id)), $"{feed.PackagePath(id)} was not packed");
        Assert.True(File.Exists(feed.PackagePath(id, "snupkg")), $"{id} has no symbol package");
        using var package = ZipFile.OpenRead(feed.PackagePath(id));
        var files = package.Entries.Select(e => e.FullName).ToHashSet();
        Assert.Contains("README.md", files);
        Assert.Contains($"lib/net10.0/{id}.dll", files);
        Assert.Contains($"lib/net10.0/{id}.xml", files);

        var packedReadme = Read(package, "README.md");
        Assert.Equal(File.ReadAllText(Path.Combine(feed.RepositoryRoot, "src", id, "README.md")), packedReadme);

        var metadata = Nuspec(package, id);
        Assert.Equal(id, Value(metadata, "id"));
        Assert.Equal(feed.Version, Value(metadata, "version"));
        Assert.Equal("README.md", Value(metadata, "readme"));
        Assert.Equal("Passkeys contributors", Value(metadata, "authors"));
        Assert.Contains("webauthn", Value(metadata, "tags").Split(' '));
        Assert.True(Value(metadata, "description").Length > 40, $"{id}'s description is missing or a placeholder");
    }

    [Fact]
    public void Authenticator_package_depends_on_the_library_package_of_the_same_version()
    {
        using var package = ZipFile.OpenRead(feed.PackagePath("Passkeys.Authenticator"));
        var dependencies = Nuspec(package, "Passkeys.Authenticator").Descendants().Where(e => e.Name.LocalName == "dependency").ToList();
        var library = Assert.Single(dependencies, d => (string?)d.Attribute("id") == "Passkeys");
        Assert.Equal(feed.Version, (string?)library.Attribute("version"));
    }

    [Fact]
    public void A_fresh_project_installs_both_packages_and_runs_the_readme_program()
    {
        string program = ReadmeProgram(Path.Combine(feed.RepositoryRoot, "src", "Passkeys.Authenticator", "README.md"));
        string app = Path.Combine(Path.GetTempPath(), "passkeys-fresh-app-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(app);
        try
        {
            WriteFreshProject(app, program);
            var run = DotnetCommand.Run(app, "run", "--disable-build-servers").EnsureSuccess("dotnet run of the fresh project");

            Assert.Matches(RegisteredLine(), run.Output);
            Assert.Contains("signed in as user1, user verified: True", run.Output, StringComparison.Ordinal);
            // The packages came from the feed, not from a build of the repository.
            Assert.True(Directory.Exists(Path.Combine(app, "packages", "passkeys", feed.Version)), "Passkeys was not restored from the feed");
            Assert.True(Directory.Exists(Path.Combine(app, "packages", "passkeys.authenticator", feed.Version)), "Passkeys.Authenticator was not restored from the feed");
        }
        finally
        {
            TryDelete(app);
        }
    }

    /// <summary>
    /// A console project as `dotnet new console` makes it, referencing the packages by version.
    /// The empty Directory.Build.props/.targets and Directory.Packages.props stop MSBuild from
    /// looking further up for any (the temp folder is outside the repository anyway); nuget.config
    /// adds the feed to the machine's usual sources (the registry mirror, for the packages'
    /// dependencies) and restores into a packages folder of its own, so that nothing comes from a
    /// cache a previous run filled.
    /// </summary>
    private void WriteFreshProject(string app, string program)
    {
        File.WriteAllText(Path.Combine(app, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(app, "Directory.Build.targets"), "<Project />\n");
        File.WriteAllText(Path.Combine(app, "Directory.Packages.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config>
                <add key="globalPackagesFolder" value="packages" />
              </config>
              <packageSources>
                <add key="passkeys-local-feed" value="{feed.Directory}" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(app, "FreshApp.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Passkeys" Version="{feed.Version}" />
                <PackageReference Include="Passkeys.Authenticator" Version="{feed.Version}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(app, "Program.cs"), program);
    }

    /// <summary>The README's first C# block: the program it tells developers to run.</summary>
    private static string ReadmeProgram(string readmePath)
    {
        var match = CSharpBlock().Match(File.ReadAllText(readmePath));
        Assert.True(match.Success, $"{readmePath} has no ```csharp block");
        return match.Groups[1].Value;
    }

    private static XElement Nuspec(ZipArchive package, string id) =>
        XDocument.Parse(Read(package, id + ".nuspec")).Root!.Elements().Single(e => e.Name.LocalName == "metadata");

    private static string Value(XElement metadata, string name) =>
        metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value ?? "";

    private static string Read(ZipArchive package, string entry)
    {
        using var reader = new StreamReader(package.GetEntry(entry)!.Open());
        return reader.ReadToEnd();
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A temporary folder left behind is harmless; never fail a test over it.
        }
    }

    [GeneratedRegex(@"```csharp\r?\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();

    [GeneratedRegex(@"registered [0-9A-F]{32,} \(none\)")]
    private static partial Regex RegisteredLine();
}
